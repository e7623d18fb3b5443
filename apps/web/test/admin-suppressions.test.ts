import { hashAddress, recordFeedback, useAddressHashKey } from '@herald/preferences';
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInToConsole } from './support/admin-pages.js';
import { startConsoleStack, type ConsoleStack } from './support/admin-stack.js';
import { inspectPage, launchChromium, submit } from './support/browser.js';
import { getPage } from './support/forms.js';

/**
 * Issue 10's console page in real Chromium with JavaScript off, against the built API, worker and
 * web app: the latest reports and the rates per stream and per campaign show a hard bounce and a
 * complaint that arrived for real messages; an operator searches the list, adds an address by hand
 * and lifts it again with a written reason (both in the consent log under their name), and is told
 * why an erased contact's suppression cannot be lifted. Every page passes axe-core at 360 and 1280 px.
 */
const run = randomBytes(3).toString('hex');
const GONE = `gone-${run}@example.test`;
const MANUAL = `manual-${run}@example.test`;
const ERASED = `erased-${run}@example.test`;
const CAMPAIGN = `Spring news ${run}`;
const WHY = 'Confirmed by phone that they want our mail again.';
let stack: ConsoleStack;
let browser: Browser;
let noScript: BrowserContext;
let page: Page;
let campaignId = '';

async function api(method: string, path: string, body?: unknown) {
  const response = await stack.api.call(method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
  return response.body;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  [stack, browser] = await Promise.all([startConsoleStack(), launchChromium()]);
  // Reports recorded here are keyed as the built API and worker key them.
  useAddressHashKey(stack.herald.env.HERALD_ADDRESS_HASH_KEY ?? '');
  // A sign-in link accepted by the relay, then reported hard-bounced by the receiving server.
  const { id: signIn } = await api('POST', '/v1/messages', {
    template: 'security-sign-in',
    to: { email: GONE },
    data: { signInUrl: 'https://app.example.test/sign-in/abc', expiresInMinutes: 15 },
  });
  await until(
    () => stack.api.call('GET', `/v1/messages/${signIn}`),
    (r) => r.body.status === 'sent',
  );
  // A newsletter campaign to three readers, one of whom complains.
  for (let i = 0; i < 3; i++) {
    await api('POST', '/v1/contacts', { email: `reader-${i}-${run}@example.test`, attributes: { run } });
  }
  ({ id: campaignId } = await api('POST', '/v1/campaigns', {
    name: CAMPAIGN,
    template: 'newsletter',
    data: {
      headline: 'Spring news',
      intro: 'What changed.',
      articles: [{ title: 'Faster', summary: 'Faster sends.', url: 'https://example.test/a' }],
    },
    audience: { categories: ['newsletter'], attributes: { run } },
    sendAt: new Date().toISOString(),
  }));
  await until(
    () => stack.api.call('GET', `/v1/campaigns/${campaignId}`),
    (r) => r.body.status === 'sent',
  );
  const [complained] = await stack.db.message.findMany({ where: { campaignId }, orderBy: { id: 'asc' } });
  await recordFeedback(
    stack.db,
    [
      {
        channel: 'inbound-smtp',
        kind: 'hard-bounce',
        messageId: signIn,
        status: '5.1.1',
        detail: 'user unknown',
      },
      {
        channel: 'sendgrid',
        kind: 'complaint',
        messageId: complained?.id ?? null,
        providerEventId: `sendgrid:${run}`,
      },
    ],
    { softBounceLimit: 5 },
  );
  await api('POST', '/v1/contacts', { email: MANUAL, name: 'Asked For Quiet' });
  const erased = await api('POST', '/v1/contacts', { email: ERASED });
  await api('DELETE', `/v1/contacts/${erased.id}`);

  noScript = await browser.newContext({ javaScriptEnabled: false });
  page = await noScript.newPage();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const rowsOf = (testId: string) =>
  page
    .getByTestId(testId)
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim() ?? '')),
    );

describe('the suppression page without JavaScript', () => {
  it('is behind the sign-in', async () => {
    const { status, headers } = await getPage(`${stack.web.url}/admin/suppressions`);
    expect(status).toBe(303);
    expect(headers.get('location')).toBe('/admin/sign-in?next=%2Fadmin%2Fsuppressions');
  });

  it('shows the bounce and the complaint that arrived: in the latest reports and in the rates', async () => {
    await signInToConsole(page, stack.web.url, stack.admin, '/admin/campaigns');
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Suppressions' }).click()]);
    expect(await page.locator('h1').textContent()).toBe('Suppressions');

    const reports = await rowsOf('feedback-reports');
    expect(reports).toHaveLength(2);
    // Both arrived in one batch, at the same instant: find each by its channel.
    const bounce = reports.find((row) => row[1] === 'Inbound mail');
    const complaint = reports.find((row) => row[1] === 'SendGrid');
    expect(bounce?.slice(1, 6)).toEqual([
      'Inbound mail',
      'hard-bounce',
      '5.1.1user unknown',
      'yes',
      'suppressed',
    ]);
    expect(bounce?.[6]).toContain('transactional message');
    expect(complaint?.slice(1, 6)).toEqual(['SendGrid', 'complaint', '—', 'yes', 'suppressed']);
    const link = page.getByTestId('feedback-reports').getByRole('link', { name: CAMPAIGN });
    expect(await link.getAttribute('href')).toBe(`/admin/campaigns/${campaignId}`);

    const totals = Object.fromEntries((await rowsOf('rates-totals')).map((row) => [row[0], row.slice(1)]));
    // Sent, hard bounces, bounce rate, complaints, complaint rate.
    expect(totals['Transactional stream']).toEqual(['1', '1', '100%', '0', '0%']);
    expect(totals['Promotional stream']).toEqual(['3', '0', '0%', '1', '33.33%']);
    expect(totals[CAMPAIGN]).toEqual(['3', '0', '0%', '1', '33.33%']);
    expect(await page.getByRole('img', { name: /Rates per stream/ }).count()).toBe(1);
    expect(
      await page.getByRole('img', { name: new RegExp(`Rates of the campaign ${CAMPAIGN}`) }).count(),
    ).toBe(1);
    expect(await page.locator('#rates-streams-desc').textContent()).toContain(
      'Promotional complaints: 33.33%',
    );
    await inspectPage(page, 'admin-suppressions');
  });

  it('finds the bounced address on the list by searching for it', async () => {
    await page.getByLabel('Address', { exact: true }).first().fill(GONE.toUpperCase());
    await submit(page, 'Search');
    const rows = await rowsOf('suppressions');
    expect(rows.map((row) => row.slice(0, 2))).toEqual([[GONE, 'hard-bounceno mail at all']]);
  });

  it('adds an address by hand, in the operator’s name, and refuses one the API does not take', async () => {
    const add = page.getByRole('form', { name: 'Add an address' });
    await add.getByLabel('Address').fill('someone@localhost');
    await submit(page, 'Add to the list');
    expect(await page.locator('#add-email-error').textContent()).toMatch(/valid email address/);
    expect(await page.locator('#add-email').inputValue()).toBe('someone@localhost');
    await inspectPage(page, 'admin-suppressions-refused');

    await add.getByLabel('Address').fill(MANUAL);
    await add.getByLabel('Detail (optional)').fill('Asked support to stop every email');
    await submit(page, 'Add to the list');
    expect(await page.getByRole('status').textContent()).toBe(`${MANUAL} is now suppressed (manual).`);
    expect((await rowsOf('suppressions')).map((row) => [row[0], row[3]])).toEqual([
      [MANUAL, 'Asked support to stop every email'],
    ]);
    const contact = await stack.db.contact.findUniqueOrThrow({ where: { email: MANUAL } });
    const [entry] = await stack.db.consentLogEntry.findMany({ where: { contactId: contact.id } });
    expect(entry).toMatchObject({
      action: 'suppress',
      source: 'admin',
      actor: `admin:${stack.admin.email}`,
      reason: 'manual',
    });
  });

  it('lifts it again with a written reason, logged as unsuppress', async () => {
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('link', { name: `Lift manual for ${MANUAL}` }).click(),
    ]);
    const lift = page.getByRole('form', { name: 'Lift a suppression' });
    expect(await lift.getByLabel('Address').inputValue()).toBe(MANUAL);
    expect(await lift.getByLabel('Which suppression').inputValue()).toBe('manual');
    await lift.getByLabel('Why it may be mailed again').fill(WHY);
    await submit(page, 'Lift the suppression');
    expect(await page.getByRole('status').textContent()).toBe(
      `${MANUAL} may be mailed again: lifted manual.`,
    );
    expect(await page.getByTestId('suppressions').count()).toBe(0);
    expect(await stack.db.suppression.count({ where: { addressHash: hashAddress(MANUAL) } })).toBe(0);
    const contact = await stack.db.contact.findUniqueOrThrow({ where: { email: MANUAL } });
    const entries = await stack.db.consentLogEntry.findMany({
      where: { contactId: contact.id },
      orderBy: { id: 'asc' },
    });
    expect(entries.at(-1)).toMatchObject({
      action: 'unsuppress',
      source: 'admin',
      actor: `admin:${stack.admin.email}`,
      reason: `manual: ${WHY}`,
    });
  });

  it('says why an erased contact’s suppression cannot be lifted, and keeps it', async () => {
    const lift = page.getByRole('form', { name: 'Lift a suppression' });
    await lift.getByLabel('Address').fill(ERASED);
    await lift.getByLabel('Why it may be mailed again').fill('They signed up again by phone.');
    await submit(page, 'Lift the suppression');
    expect(await page.locator('#lift-only-error').textContent()).toContain('erased');
    expect(await page.getByLabel('Why it may be mailed again').inputValue()).toBe(
      'They signed up again by phone.',
    );
    expect(await stack.db.suppression.count({ where: { addressHash: hashAddress(ERASED) } })).toBe(1);
  });
});
