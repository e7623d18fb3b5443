import { startMailCatcher, type MailCatcher } from '@herald/mail-catcher';
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectPage, launchChromium, submit } from './support/browser.js';
import { startHeraldApi, type HeraldApi } from './support/herald-api.js';
import { freePort, startWebServer, type WebServer } from './support/web-server.js';

/**
 * Issue 3's acceptance scenario across the built processes: the API and a worker send through a
 * real SMTP server, a person follows the footer link in Chromium (JavaScript off) and confirms;
 * the next newsletter is suppressed while a required policy update still arrives. Then the same
 * person signs in to /account with the magic link Herald mailed.
 */
let catcher: MailCatcher;
let web: WebServer;
let api: HeraldApi;
let browser: Browser;
let noScript: BrowserContext;

const NEWSLETTER = {
  headline: 'What we shipped in March',
  intro: 'Three things worth knowing.',
  articles: [
    { title: 'Faster search', summary: 'Search is twice as fast.', url: 'https://example.test/search' },
  ],
};
const POLICY = {
  policyTitle: 'Privacy Policy',
  summary: 'We now keep support conversations for 12 months instead of 24.',
  effectiveDate: '1 March 2027',
  policyUrl: 'https://example.test/legal/privacy',
};

beforeAll(async () => {
  catcher = await startMailCatcher({ smtpPort: 0, httpPort: null });
  const apiPort = String(await freePort());
  const shared = {
    HERALD_SECRET: `e1:${randomBytes(32).toString('base64url')}`,
    HERALD_API_KEY: `web-e2e-${randomBytes(12).toString('hex')}`,
    HERALD_QUEUE_PREFIX: `web-e2e-${randomBytes(4).toString('hex')}`,
  };
  web = await startWebServer({ ...shared, HERALD_API_URL: `http://127.0.0.1:${apiPort}` });
  [api, browser] = await Promise.all([
    startHeraldApi({
      ...web.env,
      ...shared,
      API_PORT: apiPort,
      SMTP_URL: catcher.smtpUrl,
      PUBLIC_WEB_URL: web.url,
    }),
    launchChromium(),
  ]);
  noScript = await browser.newContext({ javaScriptEnabled: false });
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([api?.stop(), web?.stop()]);
  await catcher?.close();
});

async function send(template: string, contactId: string, data: object) {
  const response = await api.call('POST', '/v1/messages', { template, to: { contactId }, data });
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  return response.body.id as string;
}

const linkIn = (html: string, path: string) =>
  html.match(new RegExp(`href="(${web.url.replace(/\./g, '\\.')}${path}[^"]+)"`))?.[1];

describe('a newsletter reader unsubscribes from the footer link', () => {
  it('confirms in the browser; the next newsletter is suppressed, a policy update still arrives', async () => {
    const email = `reader-${randomBytes(5).toString('hex')}@example.test`;
    const { body: contact } = await api.call('POST', '/v1/contacts', { email, name: 'Robin Reader' });

    const first = await send('newsletter', contact.id, NEWSLETTER);
    const arrived = await catcher.waitFor((m) => m.heraldMessageId === first, { timeoutMs: 20_000 });
    const unsubscribeUrl = linkIn((await arrived.parse()).html || '', '/unsubscribe/');
    expect(unsubscribeUrl).toBeDefined();

    const page = await noScript.newPage();
    await page.goto(unsubscribeUrl ?? '');
    expect(await page.locator('h1').textContent()).toBe('Unsubscribe from Newsletter?');
    await inspectPage(page, 'e2e-unsubscribe-from-mail');
    await submit(page, 'Unsubscribe');
    expect(await page.getByRole('status').textContent()).toContain(
      'You will not get Newsletter emails any more',
    );
    await page.close();

    const second = await send('newsletter', contact.id, NEWSLETTER);
    const policy = await send('policy-update', contact.id, POLICY);
    expect(await api.settled(second)).toMatchObject({ status: 'suppressed', reason: 'category-opt-out' });
    const notice = await catcher.waitFor((m) => m.heraldMessageId === policy, { timeoutMs: 20_000 });
    expect(notice.envelope.to).toEqual([email]);
    expect(catcher.messages().filter((m) => m.heraldMessageId === second)).toEqual([]);

    const log = await api.call('GET', `/v1/contacts/${contact.id}/consent-log`);
    expect(log.body.entries.map((e: any) => [e.scope, e.action, e.source])).toEqual([
      ['newsletter', 'unsubscribe', 'unsubscribe-page'],
    ]);

    // The mail's List-Unsubscribe one-click address answers the mail provider's POST too (idempotent).
    const oneClickUrl = arrived.header('list-unsubscribe')?.match(/<(https?:[^>]+)>/)?.[1] ?? '';
    expect(oneClickUrl.startsWith(`${web.url}/u/`)).toBe(true);
    const oneClick = await fetch(oneClickUrl, {
      method: 'POST',
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
    });
    expect(oneClick.status).toBe(200);
  });

  it('signs in to /account with the link Herald mails as a security message', async () => {
    const email = `account-${randomBytes(5).toString('hex')}@example.test`;
    const { body: contact } = await api.call('POST', '/v1/contacts', { email });

    const page = await noScript.newPage();
    await page.goto(`${web.url}/account`);
    await page.getByLabel('Email address').fill(email);
    await submit(page, 'Email me a sign-in link');

    const mail = await catcher.waitFor(
      (m) => m.envelope.to.includes(email) && m.header('x-herald-category') === 'security',
      { timeoutMs: 20_000 },
    );
    expect(mail.header('x-herald-class')).toBe('transactional');
    const signInUrl = linkIn((await mail.parse()).html || '', '/account/sign-in/');
    expect(signInUrl).toBeDefined();

    await page.goto(signInUrl ?? '');
    await submit(page, 'Sign in');
    expect(await page.locator('h1').textContent()).toBe('Your email preferences');
    expect(await page.locator('main').textContent()).toContain(`${email[0]}••••@example.test`);

    // The link worked once.
    await page.goto(signInUrl ?? '');
    expect(await page.locator('h1').textContent()).toBe('This sign-in link cannot be used');
    expect(contact.id).toBeTruthy();
    await page.close();
  });
});
