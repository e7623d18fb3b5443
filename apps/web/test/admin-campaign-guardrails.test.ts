import { Prisma } from '@herald/db';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInToConsole, statusOf } from './support/admin-pages.js';
import { startConsoleStack, type ConsoleStack } from './support/admin-stack.js';
import { inspectPage, launchChromium, submit } from './support/browser.js';

/**
 * The console and a campaign that paused itself, against the built API, worker and web app: the
 * campaign page says why, with the figures ("Paused automatically: complaint rate 33.33% above 10%
 * after 6 sent."), the list says it paused by itself, and Resume asks for a ticked confirmation
 * (without JavaScript; the server refuses an unconfirmed resume) while a person's pause resumes as
 * before. With JavaScript on, the notice appears on an open page the moment the guardrail trips.
 * The limits are low: MIN_SENT 5, complaints 10%, three refusals of the sender in a row.
 */
let stack: ConsoleStack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [stack, browser] = await Promise.all([
    startConsoleStack({
      HERALD_GUARDRAIL_MIN_SENT: '5',
      HERALD_CAMPAIGN_MAX_COMPLAINT_RATE: '0.1',
      HERALD_GUARDRAIL_BLOCKED_LIMIT: '3',
    }),
    launchChromium(),
  ]);
  page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await signInToConsole(page, stack.web.url, stack.admin, '/admin/campaigns');
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const NEWSLETTER = {
  headline: 'Guardrails',
  intro: 'A campaign that watches its own complaints.',
  articles: [{ title: 'One', summary: 'First', url: 'https://example.com/1' }],
};

/** `count` newsletter subscribers of their own (attributes.run), so campaigns reach only them. */
async function contacts(run: string, count: number): Promise<string[]> {
  const emails = Array.from({ length: count }, (_, i) => `g-${run}-${i}@example.test`);
  await stack.db.$executeRaw(Prisma.sql`
    INSERT INTO contacts (id, email, name, attributes, updated_at)
    SELECT herald_uuid7(), e, 'Reader', jsonb_build_object('run', ${run}::text), now()
      FROM unnest(${emails}::text[]) AS e`);
  return emails;
}

async function campaign(run: string, extra: Record<string, unknown> = {}): Promise<string> {
  const created = await stack.api.call('POST', '/v1/campaigns', {
    name: `Guarded ${run}`,
    template: 'newsletter',
    data: NEWSLETTER,
    audience: { categories: ['newsletter'], attributes: { run } },
    sendAt: new Date().toISOString(),
    ...extra,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

async function until<T>(read: () => Promise<T>, ready: (value: T) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ready(value)) return value;
    if (Date.now() > deadline) throw new Error(`not ready: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const view = async (id: string) => (await stack.api.call('GET', `/v1/campaigns/${id}`)).body;
const notice = (p: Page) => p.getByTestId('guardrail-notice');
const text = async (p: Page, selector: string) =>
  ((await p.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

describe('a campaign that paused itself, without JavaScript', () => {
  it('says why with its figures, and resumes only once the confirmation is ticked', async () => {
    const run = randomBytes(4).toString('hex');
    await contacts(run, 20);
    const id = await campaign(run, { ratePerSecond: 4 });
    const sent = await until(
      () => stack.db.message.findMany({ where: { campaignId: id, status: 'sent' }, select: { id: true } }),
      (rows) => rows.length >= 6,
    );
    // Two complaints about its first messages, from a source without a webhook of its own.
    for (const message of sent.slice(0, 2)) {
      const reported = await stack.api.call('POST', '/v1/feedback', {
        type: 'complaint',
        messageId: message.id,
      });
      expect(reported.status, JSON.stringify(reported.body)).toBe(202);
    }
    await until(
      () => stack.db.message.count({ where: { campaignId: id, status: 'sending' } }),
      (n) => n === 0,
    );
    const paused = await view(id);
    expect(paused).toMatchObject({ status: 'paused', pausedReason: 'complaint-rate' });
    const { sent: left, complaints } = paused.guardrails;
    expect(complaints).toBe(2);

    await page.goto(`${stack.web.url}/admin/campaigns/${id}`);
    expect(await statusOf(page)).toBe('paused');
    const rate = new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 2 });
    expect(await text(page, '[data-testid="guardrail-notice"] p')).toBe(
      `Paused automatically: complaint rate ${rate.format(complaints / left)} above 10% after ${left} sent.`,
    );
    expect(await notice(page).textContent()).toContain('pauses itself again if a new complaint');
    await inspectPage(page, 'admin-campaign-guardrail-paused');

    await page.goto(`${stack.web.url}/admin/campaigns`);
    expect(await page.getByRole('row', { name: new RegExp(`Guarded ${run}`) }).textContent()).toContain(
      'by itself: complaint rate',
    );

    // Resume without the confirmation: refused, nothing changes.
    await page.goto(`${stack.web.url}/admin/campaigns/${id}`);
    await submit(page, 'Resume');
    expect(await page.getByRole('alert').filter({ hasText: 'paused itself' }).textContent()).toContain(
      'Tick “I have looked into why it paused itself” to resume it.',
    );
    expect(await statusOf(page)).toBe('paused');
    expect(await view(id)).toMatchObject({ status: 'paused', pausedReason: 'complaint-rate' });
    await inspectPage(page, 'admin-campaign-guardrail-confirm');

    // Ticked: it resumes, the reason is gone, and it sends again.
    await page.getByLabel('I have looked into why it paused itself: resume it anyway').check();
    await submit(page, 'Resume');
    expect(await notice(page).count()).toBe(0);
    expect(await view(id)).toMatchObject({ status: 'sending', pausedReason: null });
    await until(
      () => view(id),
      (c) => c.counts.sent > paused.counts.sent,
    );
    await stack.api.call('POST', `/v1/campaigns/${id}/cancel`);
  });

  it('resumes a campaign a person paused without asking, and shows no notice', async () => {
    const run = randomBytes(4).toString('hex');
    await contacts(run, 1);
    const id = await campaign(run, { sendAt: new Date(Date.now() + 3_600_000).toISOString() });
    await page.goto(`${stack.web.url}/admin/campaigns/${id}`);
    await submit(page, 'Pause');
    expect(await statusOf(page)).toBe('paused');
    expect(await notice(page).count()).toBe(0);
    expect(await page.getByLabel(/resume it anyway/).count()).toBe(0);
    await submit(page, 'Resume');
    expect(await statusOf(page)).toBe('scheduled');
    await submit(page, 'Cancel campaign');
  });
});

describe('with JavaScript on', () => {
  it('shows the notice on an open page when the relay refuses the sender three times in a row', async () => {
    const run = randomBytes(4).toString('hex');
    const emails = await contacts(run, 8);
    for (const email of emails) stack.catcher.answer(email, 554, '5.7.1 Service unavailable; sender blocked');
    const context = await browser.newContext();
    const live = await context.newPage();
    const errors: string[] = [];
    live.on('pageerror', (error) => errors.push(error.message));
    await signInToConsole(live, stack.web.url, stack.admin, '/admin/campaigns');
    // One a second: three refusals take seconds, and the page is open before the third.
    const id = await campaign(run, { ratePerSecond: 1 });
    await live.goto(`${stack.web.url}/admin/campaigns/${id}`);
    expect(await live.getByTestId('guardrail-notice').count()).toBe(0);
    await live.evaluate(() => Object.assign(window, { notReloaded: true }));
    await live.getByTestId('guardrail-notice').waitFor({ timeout: 30_000 });
    expect(await live.evaluate(() => 'notReloaded' in window)).toBe(true);
    expect(await text(live, '[data-testid="guardrail-notice"] p')).toBe(
      'Paused automatically: the relay refused the sender (5.7.x) for 3 messages in a row.',
    );
    expect(await live.locator('.page-head .badge').textContent()).toBe('paused');
    expect(await view(id)).toMatchObject({ status: 'paused', pausedReason: 'blocked' });
    expect(stack.catcher.messages().filter((m) => emails.includes(m.envelope.to[0] ?? ''))).toHaveLength(0);
    // The controls follow: resuming it now asks for the confirmation.
    expect(await live.getByLabel(/resume it anyway/).count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});
