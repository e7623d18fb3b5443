import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInToConsole } from './support/admin-pages.js';
import { startConsoleStack, type ConsoleStack } from './support/admin-stack.js';
import { inspectPage, launchChromium, submit } from './support/browser.js';

/**
 * Click tracking's pages in Chromium with JavaScript off (docs/decisions/022-click-tracking.md):
 * the preference center's "Don't track my clicks" choice, and the campaign report in the console
 * (figures, the server-drawn chart, the CSV download).
 */
let stack: ConsoleStack;
let browser: Browser;
let noScript: BrowserContext;
let page: Page;
const run = randomBytes(4).toString('hex');
const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
const NEWSLETTER = {
  headline: 'News',
  intro: 'Two things.',
  articles: [
    { title: 'First', summary: 'One.', url: 'https://example.test/first' },
    { title: 'Second', summary: 'Two.', url: 'https://example.test/second' },
  ],
};

beforeAll(async () => {
  [stack, browser] = await Promise.all([startConsoleStack(), launchChromium()]);
  noScript = await browser.newContext({ javaScriptEnabled: false, acceptDownloads: true });
  page = await noScript.newPage();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const hrefs = (html: string) =>
  [...html.matchAll(/href="([^"]+)"/g)].map(
    (m) => m[1]?.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&') ?? '',
  );

async function contactWithRun(email: string, locale: string) {
  const created = await stack.api.call('POST', '/v1/contacts', { email, locale, attributes: { run } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

describe('click tracking in the browser', () => {
  it('lets a reader turn click tracking off in the preference center; the consent log says so', async () => {
    const email = `reader-${run}@example.test`;
    const contactId = await contactWithRun(email, 'en');
    const sent = await stack.api.call('POST', '/v1/messages', {
      template: 'newsletter',
      to: { contactId },
      data: NEWSLETTER,
    });
    const mail = await stack.catcher.waitFor((m) => m.heraldMessageId === sent.body.id, {
      timeoutMs: 20_000,
    });
    const preferencesUrl =
      hrefs((await mail.parse()).html || '').find((href) =>
        href.startsWith(`${stack.web.url}/preferences/`),
      ) ?? '';

    await page.goto(preferencesUrl);
    const box = page.getByLabel('Don’t track my clicks');
    expect(await box.isChecked()).toBe(false);
    await inspectPage(page, 'preferences-click-tracking');
    await box.check();
    await submit(page, 'Save my preferences');
    expect(await page.getByRole('status').textContent()).toContain('Don’t track my clicks: on');
    expect(await page.getByLabel('Don’t track my clicks').isChecked()).toBe(true);

    const log = await stack.api.call('GET', `/v1/contacts/${contactId}/consent-log`);
    expect(log.body.entries.map((e: any) => [e.action, e.source])).toEqual([
      ['tracking_off', 'preference-center'],
    ]);

    // Taken back on the same page: logged too.
    await page.getByLabel('Don’t track my clicks').uncheck();
    await submit(page, 'Save my preferences');
    expect(await page.getByRole('status').textContent()).toContain('Don’t track my clicks: off');
    const again = await stack.api.call('GET', `/v1/contacts/${contactId}/consent-log`);
    expect(again.body.entries.map((e: any) => e.action).sort()).toEqual(['tracking_off', 'tracking_on']);
  });

  it('shows the campaign report in the console, with its chart and a CSV download', async () => {
    const ids = await Promise.all(
      ['en', 'de'].map((locale, i) => contactWithRun(`report-${i}-${run}@example.test`, locale)),
    );
    const created = await stack.api.call('POST', '/v1/campaigns', {
      name: 'Report in the console',
      template: 'newsletter',
      data: NEWSLETTER,
      audience: { categories: ['newsletter'], attributes: { run } },
      sendAt: new Date().toISOString(),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const campaignId = created.body.id as string;
    const mails = await Promise.all(
      ['en', 'de'].map((_, i) =>
        stack.catcher.waitFor((m) => m.envelope.to.includes(`report-${i}-${run}@example.test`), {
          timeoutMs: 30_000,
        }),
      ),
    );
    expect(ids).toHaveLength(2);
    const [link] = hrefs((await mails[0]!.parse()).html || '').filter((href) => href.includes('/c/'));
    for (let i = 0; i < 2; i++) {
      const answer = await fetch(link ?? '', { redirect: 'manual', headers: { 'user-agent': BROWSER_UA } });
      expect(answer.status).toBe(302);
    }
    // The reader who opted out above is in the audience too: three delivered, one person clicked.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const { body } = await stack.api.call('GET', `/v1/campaigns/${campaignId}/report`);
      if (body.humanClicks === 2 && body.delivered === 3) break;
      if (Date.now() > deadline) throw new Error(`report not ready: ${JSON.stringify(body)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    await signInToConsole(page, stack.web.url, stack.admin, `/admin/campaigns/${campaignId}`);
    const report = page.getByRole('region', { name: 'Report' });
    const text = (await report.textContent()) ?? '';
    expect(text).toContain('Delivered3');
    expect(text).toContain('Unique human clicks1 (click rate 33.33%)');
    expect(text).toContain('https://example.test/first');
    expect(await report.locator('svg.report-chart rect').count()).toBeGreaterThan(0);
    expect(await report.locator('svg.report-chart desc').textContent()).toContain('2 human clicks');
    await inspectPage(page, 'admin-campaign-report');

    // The link's download, fetched with the signed-in browser's cookies.
    const href = await page.getByRole('link', { name: 'Download the report as CSV' }).getAttribute('href');
    const download = await noScript.request.get(`${stack.web.url}${href}`);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-type']).toContain('text/csv');
    const csv = await download.text();
    expect(csv.split('\r\n')).toEqual(
      expect.arrayContaining([
        'section,item,metric,value',
        'summary,,delivered,3',
        'summary,,uniqueHumanClicks,1',
      ]),
    );
  });
});
