import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reloadUntil, readCounts, signInToConsole, statusOf } from './support/admin-pages.js';
import { startConsoleStack, type ConsoleStack } from './support/admin-stack.js';
import { inspectPage, launchChromium, submit } from './support/browser.js';

/**
 * Issue 4's acceptance in real Chromium against the built processes: a marketer signs in, creates
 * a campaign, checks its audience, previews it, test-sends it (the mail reaches the SMTP server),
 * schedules it and watches it finish; another is scheduled for later, paused and cancelled. The
 * pages run without JavaScript except in the live-progress case, and every page passes axe-core
 * at 360 and 1280 pixels.
 */
let stack: ConsoleStack;
let browser: Browser;
let noScript: BrowserContext;
let page: Page;
const run = randomBytes(3).toString('hex');
/** The address a marketer sends the test email to. */
const tester = `marketer-${run}@example.test`;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startConsoleStack(), launchChromium()]);
  const { db } = stack;
  for (let i = 0; i < 6; i++) {
    await db.contact.create({ data: { email: `reader-${i}-${run}@example.test`, name: `Reader ${i}` } });
  }
  await db.contact.create({ data: { email: `bounce-${run}@example.test`, name: 'Gone Away' } });
  await db.contact.create({ data: { name: 'No Address' } });
  noScript = await browser.newContext({ javaScriptEnabled: false });
  page = await noScript.newPage();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The newsletter's audience: contacts with an address that take the category defaults (decision 014: not those a send created). */
const withAddress = () =>
  stack.db.contact.count({ where: { email: { not: null }, erasedAt: null, promotionalDefaults: true } });
const campaignMail = (id: string) =>
  stack.catcher.messages().filter((message) => message.header('feedback-id')?.startsWith(`${id}:`));

describe('the campaign console without JavaScript', () => {
  it('signs in, refuses an audience without the template’s category, and counts the audience', async () => {
    await page.goto(`${stack.web.url}/admin/sign-in`);
    await inspectPage(page, 'admin-sign-in');
    await signInToConsole(page, stack.web.url, stack.admin, '/admin/campaigns');
    expect(await page.locator('main').textContent()).toContain('No campaigns yet.');
    await inspectPage(page, 'admin-campaigns-empty');

    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'New campaign' }).click()]);
    expect(await page.getByLabel('Template data (JSON)').inputValue()).toContain(
      'What we shipped in November',
    );
    await inspectPage(page, 'admin-campaign-new');

    await page.getByLabel('Campaign name').fill('Winter newsletter');
    await page.getByLabel('Newsletter').uncheck();
    await page.getByLabel('Product news').check();
    await submit(page, 'Create draft');
    expect(await page.locator('#categories-error').textContent()).toContain(
      'The audience must include the template\'s category "newsletter"',
    );
    expect(await page.getByLabel('Campaign name').inputValue()).toBe('Winter newsletter');
    expect(await page.getByLabel('Product news').isChecked()).toBe(true);
    await inspectPage(page, 'admin-campaign-new-refused');

    await page.getByLabel('Newsletter').check();
    await page.getByLabel('Product news').uncheck();
    await submit(page, 'Check audience size');
    expect(await page.getByRole('status').textContent()).toContain(
      `${await withAddress()} contacts would receive this campaign now`,
    );
    expect(await page.getByLabel('Campaign name').inputValue()).toBe('Winter newsletter');
    await inspectPage(page, 'admin-campaign-audience');
  });

  it('creates a draft, previews it at both widths and test-sends it to an address', async () => {
    await page.getByLabel('Rate limit (emails per second, optional)').fill('50');
    await submit(page, 'Create draft');
    expect(page.url()).toMatch(/\/admin\/campaigns\/[0-9a-f-]{36}$/);
    expect(await page.locator('h1').textContent()).toBe('Winter newsletter');
    expect(await statusOf(page)).toBe('draft');
    expect(await page.locator('#audience-size').textContent()).toContain(`${await withAddress()} contacts`);

    const frames = page.locator('iframe');
    expect(
      await frames.evaluateAll((all) => all.map((f) => [f.getAttribute('width'), f.getAttribute('sandbox')])),
    ).toEqual([
      ['1280', ''],
      ['360', ''],
    ]);
    const previews = page.frames().filter((frame) => frame.url() === 'about:srcdoc');
    expect(previews).toHaveLength(2);
    for (const frame of previews) {
      expect(await frame.locator('body').textContent()).toContain('Search is now three times faster');
    }
    expect(await page.locator('main').textContent()).toContain('Subject: What we shipped in November');
    await inspectPage(page, 'admin-campaign-draft');

    await page.getByLabel('Send a test to').fill(tester);
    await submit(page, 'Send test email');
    expect(await page.getByRole('status').textContent()).toContain(`Test email queued for ${tester}`);
    const mail = await stack.catcher.waitFor((message) => message.envelope.to.includes(tester));
    expect(mail.subject).toBe('What we shipped in November');
    expect(mail.header('x-herald-category')).toBe('newsletter');
    expect(mail.header('x-herald-class')).toBe('promotional');
    await inspectPage(page, 'admin-campaign-test-sent');
  });

  it('schedules it now and shows it finish, with counts that match the mail received', async () => {
    // The test address is a contact now, but a test send gives it no marketing consent: not in the audience.
    expect(
      await stack.db.contact.findFirst({ where: { email: tester }, select: { promotionalDefaults: true } }),
    ).toEqual({
      promotionalDefaults: false,
    });
    const audience = await withAddress();
    await submit(page, 'Schedule campaign');
    const id = page.url().split('/').at(-1) ?? '';
    await reloadUntil(
      page,
      () => statusOf(page),
      (status) => status === 'sent',
    );

    const counts = await readCounts(page, 'campaign-counts');
    expect(counts).toMatchObject({
      Targeted: audience,
      Waiting: 0,
      Sent: audience - 1,
      Bounced: 1,
      Failed: 0,
    });
    expect(campaignMail(id)).toHaveLength(counts.Sent ?? -1);
    expect(await page.locator('progress').evaluate((p: HTMLProgressElement) => [p.value, p.max])).toEqual([
      audience,
      audience,
    ]);
    expect(await page.locator('svg.chart rect').count()).toBeGreaterThan(0);
    expect(await page.locator('svg.chart desc').textContent()).toContain(`${audience - 1} sent`);
    // Sent is final: nothing left to pause or cancel.
    expect(await page.getByRole('button', { name: /Pause|Cancel campaign/ }).count()).toBe(0);
    await inspectPage(page, 'admin-campaign-sent');

    await page.goto(`${stack.web.url}/admin/campaigns`);
    const row = page.getByRole('row', { name: /Winter newsletter/ });
    expect(await row.textContent()).toContain('sent');
    await inspectPage(page, 'admin-campaigns');
  });

  it('schedules another for later in a time zone, pauses, resumes and cancels it; it sends nothing', async () => {
    await page.goto(`${stack.web.url}/admin/campaigns/new`);
    await page.getByLabel('Campaign name').fill('Spring promotion');
    await submit(page, 'Create draft');
    await page.getByLabel('At a date and time').check();
    await page.getByLabel('Date and time', { exact: true }).fill('2030-01-15T09:00');
    await page.getByLabel('Time zone', { exact: true }).selectOption('Europe/Paris');
    await submit(page, 'Schedule campaign');
    const id = page.url().split('/').at(-1) ?? '';
    expect(await statusOf(page)).toBe('scheduled');
    expect(await page.locator('.detail-list').textContent()).toContain('15 Jan 2030, 08:00 UTC');

    await submit(page, 'Pause');
    expect(await statusOf(page)).toBe('paused');
    await inspectPage(page, 'admin-campaign-paused');
    await submit(page, 'Resume');
    expect(await statusOf(page)).toBe('scheduled');
    await submit(page, 'Pause');
    await submit(page, 'Cancel campaign');
    expect(await statusOf(page)).toBe('cancelled');
    expect(await page.getByRole('button', { name: /Pause|Resume|Cancel campaign/ }).count()).toBe(0);
    await inspectPage(page, 'admin-campaign-cancelled');
    const stored = await stack.api.call('GET', `/v1/campaigns/${id}`);
    expect(stored.body).toMatchObject({ status: 'cancelled', counts: { targeted: 0 } });
    expect(campaignMail(id)).toHaveLength(0);
  });
});

describe('with JavaScript on', () => {
  it('refreshes the progress bar, counts and chart every second while sending, without reloading', async () => {
    const context = await browser.newContext();
    const live = await context.newPage();
    const errors: string[] = [];
    live.on('pageerror', (error) => errors.push(error.message));
    live.on('console', (message) => {
      if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico'))
        errors.push(message.text());
    });
    await signInToConsole(live, stack.web.url, stack.admin, '/admin/campaigns/new');
    await live.getByLabel('Campaign name').fill('Live progress');
    await live.getByLabel('Rate limit (emails per second, optional)').fill('2');
    await live.getByRole('button', { name: 'Create draft' }).click();
    await live.waitForURL(/\/admin\/campaigns\/[0-9a-f-]{36}$/);
    await live.getByRole('button', { name: 'Schedule campaign' }).click();
    await live.waitForSelector('progress');
    await live.evaluate(() => Object.assign(window, { notReloaded: true }));

    // The address that bounced in the first campaign is suppressed now: one fewer is targeted.
    const audience = (await withAddress()) - 1;
    // Part way: some finished, not all (two per second across the audience).
    await live.waitForFunction(
      () => {
        const progress = document.querySelector('progress');
        const value = Number(progress?.getAttribute('value'));
        return value > 0 && value < Number(progress?.getAttribute('max'));
      },
      null,
      { timeout: 30_000 },
    );
    await live.waitForFunction(
      () => document.querySelector('.page-head .badge')?.textContent === 'sent',
      null,
      {
        timeout: 60_000,
      },
    );
    expect(await live.evaluate(() => 'notReloaded' in window)).toBe(true);
    expect(await readCounts(live, 'campaign-counts')).toMatchObject({
      Targeted: audience,
      Sent: audience,
      Waiting: 0,
    });
    expect(await live.locator('svg.chart rect').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
