import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reloadUntil, readCounts, signInToConsole, statusOf } from './support/admin-pages.js';
import { startConsoleStack, type ConsoleStack } from './support/admin-stack.js';
import { inspectPage, launchChromium, submit } from './support/browser.js';
import { storeSignInToken } from './support/sign-in.js';

/**
 * Issue 5's acceptance in real Chromium (JavaScript off) against the built processes: an operator
 * publishes a version too early and is refused with the earliest allowed date, overrides with a
 * written reason, announces it and watches its coverage match what the SMTP server received; the
 * public page lists the versions; a contact sees the in-app notice on /account until acknowledging.
 */
const DAY_MS = 24 * 60 * 60 * 1000;
const run = randomBytes(3).toString('hex');
const VERSION = `2027-01-${run}`;
const SUMMARY = 'We now keep support conversations for 12 months instead of 24.';
const REASON = 'The regulator asked for this change before the end of the month.';
let stack: ConsoleStack;
let browser: Browser;
let noScript: BrowserContext;
let page: Page;
let policyUrl = '';
let readerId = '';

beforeAll(async () => {
  [stack, browser] = await Promise.all([startConsoleStack(), launchChromium()]);
  const { db } = stack;
  for (let i = 0; i < 5; i++) {
    const contact = await db.contact.create({
      data: { email: `reader-${i}-${run}@example.test`, name: `Reader ${i}` },
    });
    readerId ||= contact.id;
  }
  await db.contact.create({ data: { email: `bounce-${run}@example.test`, name: 'Gone Away' } });
  await db.contact.create({ data: { name: 'No Address' } });
  // The version in force today, published long ago.
  await db.policyVersion.create({
    data: {
      version: `2025-01-${run}`,
      title: 'Privacy Policy',
      summary: 'We list every service provider that processes your data.',
      url: 'https://example.test/legal/privacy/2025-01',
      effectiveAt: new Date('2025-01-01T00:00:00Z'),
      announcedAt: new Date('2024-11-15T00:00:00Z'),
      requiredNoticeDays: 30,
    },
  });
  noScript = await browser.newContext({ javaScriptEnabled: false });
  page = await noScript.newPage();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** "2027-01-05T10:30" in UTC, as `<input type="datetime-local">` takes it. */
const localUtc = (date: Date) => date.toISOString().slice(0, 16);

describe('policy versions in the console', () => {
  it('refuses a version with too little notice, naming the earliest allowed date, and keeps what was typed', async () => {
    await signInToConsole(page, stack.web.url, stack.admin, '/admin/policies');
    await inspectPage(page, 'admin-policies');
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'New version' }).click()]);
    await inspectPage(page, 'admin-policy-new');

    await page.getByLabel('Version', { exact: true }).fill(VERSION);
    await page.getByLabel('What changes since the previous version').fill(SUMMARY);
    await page.getByLabel('Address of the full policy').fill(`https://example.test/legal/privacy/${VERSION}`);
    await page.getByLabel('Takes effect at').fill(localUtc(new Date(Date.now() + 5 * DAY_MS)));
    const publishedAt = Date.now();
    await submit(page, 'Publish version');

    const error = (await page.locator('#effectiveAt-error').textContent()) ?? '';
    const pattern = /earliest allowed date is (\d{1,2} \w{3} \d{4}, \d{2}:\d{2}) UTC/;
    expect(error).toMatch(pattern);
    const earliest = error.match(pattern)?.[1];
    const earliestAt = Date.parse(`${earliest} UTC`);
    expect(Math.abs(earliestAt - (publishedAt + 30 * DAY_MS))).toBeLessThan(2 * 60_000);
    expect(await page.getByLabel('What changes since the previous version').inputValue()).toBe(SUMMARY);
    expect(await page.getByLabel('Reason for publishing with less notice').isVisible()).toBe(true);
    expect(await stack.db.policyVersion.count({ where: { version: VERSION } })).toBe(0);
    await inspectPage(page, 'admin-policy-refused');
  });

  it('publishes it with a written reason, which is recorded', async () => {
    await page.getByLabel('Reason for publishing with less notice').fill(REASON);
    await submit(page, 'Publish version');
    expect(page.url()).toMatch(/\/admin\/policies\/[0-9a-f-]{36}$/);
    policyUrl = page.url();
    expect(await statusOf(page)).toBe('draft');
    expect(await page.locator('.detail-list').first().textContent()).toContain(`overridden: “${REASON}”`);
    const stored = await stack.db.policyVersion.findUniqueOrThrow({ where: { version: VERSION } });
    expect(stored.overrideReason).toBe(REASON);
    expect(stored.announcedAt).toBeNull();
    // Not announced, taking effect within the at-risk window: at risk until announced.
    expect(await page.getByRole('alert').textContent()).toContain('has not been announced');
    await inspectPage(page, 'admin-policy-draft');
  });

  it('announces it; the coverage page’s counts match the mail the SMTP server received', async () => {
    await submit(page, 'Announce to every contact');
    expect(await statusOf(page)).toBe('announced');
    const contacts = await stack.db.contact.count({ where: { erasedAt: null } });
    // The fan-out runs in the worker after the announce: wait until every contact has its notice.
    const counts = await reloadUntil(
      page,
      () => readCounts(page, 'coverage-counts'),
      (c) =>
        c.Contacts === contacts &&
        c['Awaiting notice'] === 0 &&
        c['Still sending'] === 0 &&
        c.Emailed === (c.Delivered ?? 0) + (c.Bounced ?? 0) + (c.Failed ?? 0),
    );
    const received = stack.catcher
      .messages()
      .filter((message) => message.header('x-herald-category') === 'policy-updates');
    expect(counts).toMatchObject({
      Contacts: contacts,
      Emailed: contacts - 1,
      Delivered: received.length,
      Bounced: 1,
      Failed: 0,
      'In-app notice only': 2,
      Acknowledged: 0,
    });
    expect(received.length).toBe(contacts - 2);
    expect(await page.locator('main').textContent()).toMatch(
      /Everyone reachable notified before it takes effect\s*Yes/,
    );
    expect(await page.getByRole('alert').count()).toBe(0);
    await inspectPage(page, 'admin-policy-coverage');

    await page.goto(`${stack.web.url}/admin/policies`);
    const row = page.getByRole('row', { name: new RegExp(VERSION) });
    expect(await row.textContent()).toContain('announced');
    expect(await row.locator('td').nth(3).textContent()).toBe('no');
  });

  it('marks a version at risk in the list when it takes effect soon and is not announced', async () => {
    const atRisk = `2027-02-${run}`;
    const created = await stack.api.call('POST', '/v1/policies', {
      version: atRisk,
      title: 'Privacy Policy',
      summary: 'A version nobody has been told about yet.',
      url: 'https://example.test/legal/privacy/unannounced',
      effectiveAt: new Date(Date.now() + 3 * DAY_MS).toISOString(),
      override: { reason: 'Testing the at-risk flag of the console list.' },
    });
    expect(created.status).toBe(201);
    await page.goto(`${stack.web.url}/admin/policies`);
    expect(
      await page
        .getByRole('row', { name: new RegExp(atRisk) })
        .locator('td')
        .nth(3)
        .textContent(),
    ).toBe('at risk');
    await inspectPage(page, 'admin-policies-at-risk');
  });
});

describe('the public policy page and the account notice', () => {
  it('lists announced versions, each with what changed since the one before; drafts stay private', async () => {
    const visitor = await browser.newContext({ javaScriptEnabled: false });
    const publicPage = await visitor.newPage();
    const response = await publicPage.goto(`${stack.web.url}/policy`);
    expect(response?.status()).toBe(200);
    const versions = await publicPage.locator('article h2').allTextContents();
    expect(versions).toEqual([
      `Privacy Policy, version ${VERSION}`,
      `Privacy Policy, version 2025-01-${run}`,
    ]);
    const upcoming = publicPage.locator('article').first();
    expect(await upcoming.textContent()).toContain(`What changed since version 2025-01-${run}`);
    expect(await upcoming.textContent()).toContain(SUMMARY);
    expect(await upcoming.textContent()).toContain('Takes effect on');
    expect(await publicPage.locator('article').nth(1).textContent()).toContain('in effect now');
    await inspectPage(publicPage, 'policy-public');
    await visitor.close();
  });

  it('shows the pending notice on /account until the contact acknowledges it', async () => {
    const visitor = await browser.newContext({ javaScriptEnabled: false });
    const account = await visitor.newPage();
    await account.goto(`${stack.web.url}/account/sign-in/${await storeSignInToken(stack.db, readerId)}`);
    await submit(account, 'Sign in');
    const notices = account.getByRole('region', { name: 'Changes to our privacy policy' });
    expect(await notices.textContent()).toContain(SUMMARY);
    expect(await notices.textContent()).toContain(`(version ${VERSION})`);
    await inspectPage(account, 'account-policy-notice');

    await submit(account, 'I have read this');
    expect(await account.getByRole('region', { name: 'Changes to our privacy policy' }).count()).toBe(0);
    expect(await account.locator('h1').textContent()).toBe('Your email preferences');
    const notice = await stack.db.notice.findFirstOrThrow({ where: { contactId: readerId } });
    expect(notice.acknowledgedAt).not.toBeNull();
    await visitor.close();

    await page.goto(policyUrl);
    expect((await readCounts(page, 'coverage-counts')).Acknowledged).toBe(1);
  });
});
