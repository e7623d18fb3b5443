import { createPrismaClient, type Db } from '@herald/db';
import {
  startHeraldWithWeb,
  startTestSmtpServer,
  type ApiClient,
  type HeraldWithWeb,
  type TestSmtpServer,
} from '@herald/test-support';
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAdmin } from '../../../prisma/seed-admin.js';
import { signInToConsole } from './support/admin-pages.js';
import { inspectPage, launchChromium, submit } from './support/browser.js';
import { getPage, postForm, textOf } from './support/forms.js';

/**
 * Issue 14's subscribe forms with double opt-in, against the built API, worker and web app with a
 * real SMTP server, in Chromium with JavaScript off: a form made through the API; a person fills its
 * hosted page and gets the confirmation mail; nothing is subscribed until the confirmation is posted,
 * then the consent log holds the form's source with its proof. The link works once and not after
 * it expires. A filled honeypot, a post faster than the minimum fill time, a known or an unknown
 * address, a suppressed one and one over its limit all get the same page; only real requests mail.
 * A disabled form's page, posts and mailed links answer 410 until it is enabled again. The console
 * lists the form with its snippet and disables and enables it. Every page passes axe-core at 360
 * and 1280 px.
 */
const run = randomBytes(3).toString('hex');
const FORM = `news-${run}`;
const FORM_NAME = `Product news ${run}`;
const CONSENT = 'I agree to get product news and promotions by email. I can unsubscribe at any time.';
const MIN_FILL_MS = 1_000;
const PERSON = `person-${run}@example.test`;
const hashKey = randomBytes(32).toString('base64url');

let installation: HeraldWithWeb;
let catcher: TestSmtpServer;
let db: Db;
let api: ApiClient;
let webUrl = '';
let browser: Browser;
let noScript: BrowserContext;
let page: Page;
const admin = { email: `operator-${run}@example.test`, password: randomBytes(12).toString('base64url') };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function call(method: string, path: string, body?: unknown) {
  const response = await api.call(method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
  return response.body;
}

/** Fills the hosted page as a browser without JavaScript would: its stamp, after `waitMs`. */
async function fill(email: string, extra: [string, string][] = [], waitMs = MIN_FILL_MS + 200) {
  const form = await getPage(`${webUrl}/subscribe/${FORM}`);
  expect(form.status).toBe(200);
  const stamp = form.html.match(/name="started" value="([^"]+)"/)?.[1] ?? '';
  expect(stamp).not.toBe('');
  await sleep(waitMs);
  return postForm(`${webUrl}/subscribe/${FORM}`, [
    ['started', stamp],
    ['email', email],
    ['name', ''],
    ['website', ''],
    ...extra,
  ]);
}

const confirmationsOf = (email: string) => db.subscribeConfirmation.findMany({ where: { email } });

async function confirmLinkFor(email: string): Promise<string> {
  const mail = await catcher.waitFor((message) => message.envelope.to.includes(email), { timeoutMs: 30_000 });
  const parsed = await mail.parse();
  const link = String(parsed.text).match(/https?:\/\/\S+\/subscribe\/confirm\/[\w-]+/)?.[0] ?? '';
  expect(link).not.toBe('');
  return `${webUrl}${new URL(link).pathname}`;
}

async function preferencesOf(email: string) {
  const contact = await db.contact.findUnique({
    where: { email },
    include: { preferences: true, consentLog: { orderBy: { id: 'asc' } } },
  });
  return contact;
}

beforeAll(async () => {
  catcher = await startTestSmtpServer();
  [installation, browser] = await Promise.all([
    startHeraldWithWeb({
      env: { SMTP_URL: catcher.smtpUrl, HERALD_ADDRESS_HASH_KEY: hashKey },
      webEnv: { SUBSCRIBE_MIN_FILL_MS: String(MIN_FILL_MS), HERALD_ADDRESS_HASH_KEY: hashKey },
    }),
    launchChromium(),
  ]);
  webUrl = installation.web.url;
  api = installation.herald.client;
  db = createPrismaClient({ databaseUrl: installation.herald.env.DATABASE_URL ?? '', maxConnections: 4 });
  await seedAdmin(db, admin);
  noScript = await browser.newContext({ javaScriptEnabled: false });
  page = await noScript.newPage();
});
afterAll(async () => {
  await browser?.close();
  await installation?.stop();
  await catcher?.close();
  await db?.$disconnect();
});

describe('forms through the API', () => {
  it('creates a form, with an audit row, and reads it back', async () => {
    const created = await api.call('POST', '/v1/forms', {
      key: FORM,
      name: FORM_NAME,
      categories: ['product-news', 'promotions'],
      fields: ['name'],
      consentText: CONSENT,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      key: FORM,
      categories: ['product-news', 'promotions'],
      fields: ['name'],
    });
    const audit = await db.auditLogEntry.findFirst({
      where: { action: 'subscribe-form.created', targetId: FORM },
    });
    expect(audit?.actor).toBe('bootstrap-key');
    expect((await call('GET', `/v1/forms/${FORM}`)).consentText).toBe(CONSENT);
    const { forms } = await call('GET', '/v1/forms');
    expect(forms.map((form: { key: string }) => form.key)).toContain(FORM);
    expect((await api.call('POST', '/v1/forms', { ...created.body, createdAt: undefined })).status).toBe(400);
    const again = await api.call('POST', '/v1/forms', {
      key: FORM,
      name: 'x',
      categories: ['newsletter'],
      consentText: 'x',
    });
    expect(again.status).toBe(409);
    const transactional = await api.call('POST', '/v1/forms', {
      key: `security-${run}`,
      name: 'x',
      categories: ['security'],
      consentText: 'x',
    });
    expect(transactional.status).toBeGreaterThanOrEqual(400);
    expect((await api.call('GET', `/v1/forms/missing-${run}`)).status).toBe(404);
  });
});

describe('the hosted page without JavaScript', () => {
  let link = '';

  it('takes an address and mails a confirmation link, subscribing nothing yet', async () => {
    await page.goto(`${webUrl}/subscribe/${FORM}`);
    expect(await page.locator('h1').textContent()).toBe(FORM_NAME);
    expect(await page.locator('#consent-text').textContent()).toBe(CONSENT);
    await inspectPage(page, 'subscribe-form');
    await page.getByLabel('Email address').fill(PERSON);
    await page.getByLabel('Name (optional)').fill('Ada Reader');
    await sleep(MIN_FILL_MS + 200);
    await submit(page, 'Subscribe');
    expect(await page.locator('h1').textContent()).toBe('Check your inbox');
    await inspectPage(page, 'subscribe-check-inbox');

    link = await confirmLinkFor(PERSON);
    const [pending] = await confirmationsOf(PERSON);
    expect(pending?.consentText).toBe(CONSENT);
    expect(pending?.ipHash).toMatch(/\S/);
    expect(pending?.confirmedAt).toBeNull();
    expect(
      Math.abs(pending!.expiresAt.getTime() - pending!.createdAt.getTime() - 7 * 24 * 60 * 60_000),
    ).toBeLessThan(60_000);
    const contact = await preferencesOf(PERSON);
    expect(contact?.preferences).toEqual([]);
    expect(contact?.consentLog).toEqual([]);
  });

  it('opening the link changes nothing; its button subscribes, with the proof in the consent log', async () => {
    await page.goto(link);
    await page.goto(link);
    expect(await page.locator('h1').textContent()).toBe('Confirm your subscription');
    expect((await preferencesOf(PERSON))?.preferences).toEqual([]);
    await inspectPage(page, 'subscribe-confirm');
    await submit(page, 'Confirm my subscription');
    expect(await page.locator('h1').textContent()).toBe('You are subscribed');
    await inspectPage(page, 'subscribe-confirmed');

    const contact = await preferencesOf(PERSON);
    expect(contact?.name).toBe('Ada Reader');
    expect(contact?.preferences.map((row) => [row.categoryKey, row.subscribed]).sort()).toEqual([
      ['product-news', true],
      ['promotions', true],
    ]);
    expect(contact?.consentLog).toHaveLength(2);
    for (const entry of contact?.consentLog ?? []) {
      expect(entry.source).toBe('subscribe_form');
      expect(entry.action).toBe('subscribe');
      expect(entry.actor).toBe(`form:${FORM}`);
      expect(entry.reason).toContain(CONSENT);
      expect(entry.reason).toContain(`form "${FORM}"`);
      expect(entry.ipHash).toMatch(/\S/);
    }
    const [used] = await confirmationsOf(PERSON);
    expect(used?.confirmedAt).not.toBeNull();
  });

  it('the link works once', async () => {
    const path = new URL(link).pathname;
    expect((await getPage(`${webUrl}${path}`)).status).toBe(410);
    const again = await postForm(`${webUrl}${path}`, []);
    expect(again.status).toBe(410);
    expect(textOf(again.html)).toContain('This link no longer works');
    expect((await preferencesOf(PERSON))?.consentLog).toHaveLength(2);
  });

  it('an expired link subscribes nothing', async () => {
    const late = `late-${run}@example.test`;
    expect(textOf((await fill(late)).html)).toContain('Check your inbox');
    const expired = await confirmLinkFor(late);
    await db.subscribeConfirmation.updateMany({
      where: { email: late },
      data: { expiresAt: new Date(Date.now() - 60_000) },
    });
    expect((await getPage(expired)).status).toBe(410);
    expect((await postForm(expired, [])).status).toBe(410);
    expect((await preferencesOf(late))?.preferences).toEqual([]);
    expect((await confirmationsOf(late))[0]?.confirmedAt).toBeNull();
  });
});

describe('the same answer, and mail only for real requests', () => {
  it('a filled honeypot, or a post faster than the minimum fill time, mails nothing', async () => {
    const bot = `bot-${run}@example.test`;
    const honeypot = await fill(bot, [['website', 'https://spam.example']]);
    const fast = await fill(bot, [], 0);
    for (const answer of [honeypot, fast]) {
      expect(answer.status).toBe(200);
      expect(textOf(answer.html)).toContain('Check your inbox');
    }
    expect(await confirmationsOf(bot)).toEqual([]);
    expect(await db.contact.findUnique({ where: { email: bot } })).toBeNull();
  });

  it('a known and an unknown address get the same page', async () => {
    const known = `known-${run}@example.test`;
    const unknown = `unknown-${run}@example.test`;
    await call('POST', '/v1/contacts', { email: known });
    const [a, b] = [await fill(known), await fill(unknown)];
    expect(a.status).toBe(b.status);
    expect(textOf(a.html)).toBe(textOf(b.html));
    await confirmLinkFor(known);
    await confirmLinkFor(unknown);
  });

  it('a suppressed address gets the same page and is never subscribed', async () => {
    const blocked = `blocked-${run}@example.test`;
    await call('POST', '/v1/suppressions', { email: blocked, reason: 'manual' });
    const answer = await fill(blocked);
    expect(textOf(answer.html)).toContain('Check your inbox');
    expect(await confirmationsOf(blocked)).toEqual([]);

    // Suppressed after asking, before confirming: the confirmation page says the same, and nothing changes.
    const later = `later-${run}@example.test`;
    await fill(later);
    const link = await confirmLinkFor(later);
    await call('POST', '/v1/suppressions', { email: later, reason: 'manual' });
    const confirmed = await postForm(link, []);
    expect(confirmed.status).toBe(200);
    expect(textOf(confirmed.html)).toContain('You are subscribed');
    const contact = await preferencesOf(later);
    expect(contact?.preferences).toEqual([]);
    // Its log holds the suppression only.
    expect(contact?.consentLog.map((entry) => entry.action)).toEqual(['suppress']);
  });

  it('an address is mailed at most three times per window', async () => {
    const often = `often-${run}@example.test`;
    for (let i = 0; i < 4; i++) expect(textOf((await fill(often)).html)).toContain('Check your inbox');
    expect(await confirmationsOf(often)).toHaveLength(3);
  });

  it('the embedded snippet posts cross-site; its post is shown back for the person to send', async () => {
    const embedded = `embedded-${run}@example.test`;
    const answer = await postForm(
      `${webUrl}/subscribe/${FORM}`,
      [
        ['email', embedded],
        ['website', ''],
      ],
      {
        origin: 'https://shop.example',
      },
    );
    expect(answer.status).toBe(200);
    expect(answer.html).toContain(`value="${embedded}"`);
    expect(answer.html).toMatch(/name="started" value="[^"]+"/);
    expect(await confirmationsOf(embedded)).toEqual([]);
    // The confirmation page is not open to other sites.
    expect(
      (await postForm(`${webUrl}/subscribe/confirm/x`, [], { origin: 'https://shop.example' })).status,
    ).toBe(403);
  });

  it('an unknown form is 404', async () => {
    expect((await getPage(`${webUrl}/subscribe/missing-${run}`)).status).toBe(404);
  });
});

describe('a disabled form', () => {
  it('is disabled and enabled through the API, with audit rows: 409 for the same state twice, 404 for no form', async () => {
    expect((await api.call('POST', `/v1/forms/missing-${run}/disable`)).status).toBe(404);
    expect((await api.call('POST', `/v1/forms/missing-${run}/enable`)).status).toBe(404);
    const open = await api.call('POST', `/v1/forms/${FORM}/enable`);
    expect(open.status).toBe(409);
    expect(open.body.error.message).toContain('is not disabled');

    const disabled = await api.call('POST', `/v1/forms/${FORM}/disable`);
    expect(disabled.status, JSON.stringify(disabled.body)).toBe(200);
    expect(disabled.body).toMatchObject({ key: FORM, disabledAt: expect.any(String) });
    expect((await api.call('POST', `/v1/forms/${FORM}/disable`)).status).toBe(409);
    const enabled = await api.call('POST', `/v1/forms/${FORM}/enable`);
    expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
    expect(enabled.body.disabledAt).toBeNull();
    const audit = await db.auditLogEntry.findMany({ where: { targetId: FORM }, orderBy: { id: 'asc' } });
    expect(audit.map((row) => [row.actor, row.action])).toEqual([
      ['bootstrap-key', 'subscribe-form.created'],
      ['bootstrap-key', 'subscribe-form.disabled'],
      ['bootstrap-key', 'subscribe-form.enabled'],
    ]);
  });

  it('its page, its posts and the links it mailed refuse with 410 until it is enabled again', async () => {
    const waiting = `waiting-${run}@example.test`;
    expect(textOf((await fill(waiting)).html)).toContain('Check your inbox');
    const link = await confirmLinkFor(waiting);
    await call('POST', `/v1/forms/${FORM}/disable`);

    const closed = await getPage(`${webUrl}/subscribe/${FORM}`);
    expect(closed.status).toBe(410);
    expect(textOf(closed.html)).toContain('This form is closed');
    await page.goto(`${webUrl}/subscribe/${FORM}`);
    expect(await page.locator('h1').textContent()).toBe('This form is closed');
    await inspectPage(page, 'subscribe-form-closed');
    const late = `closed-${run}@example.test`;
    const posted = await postForm(`${webUrl}/subscribe/${FORM}`, [
      ['email', late],
      ['website', ''],
    ]);
    expect(posted.status).toBe(410);
    expect(textOf(posted.html)).toContain('This form is closed');
    expect(await confirmationsOf(late)).toEqual([]);

    const opened = await getPage(link);
    expect(opened.status).toBe(410);
    expect(textOf(opened.html)).toContain('This form is closed');
    const confirmed = await postForm(link, []);
    expect(confirmed.status).toBe(410);
    expect(textOf(confirmed.html)).toContain('This form is closed');
    expect((await preferencesOf(waiting))?.preferences).toEqual([]);
    expect((await confirmationsOf(waiting))[0]?.confirmedAt).toBeNull();

    // Enabled again: the page takes requests, and the unexpired link subscribes.
    await call('POST', `/v1/forms/${FORM}/enable`);
    expect((await getPage(`${webUrl}/subscribe/${FORM}`)).status).toBe(200);
    const again = await postForm(link, []);
    expect(again.status).toBe(200);
    expect(textOf(again.html)).toContain('You are subscribed');
    expect(
      (await preferencesOf(waiting))?.preferences.map((row) => [row.categoryKey, row.subscribed]).sort(),
    ).toEqual([
      ['product-news', true],
      ['promotions', true],
    ]);
  });
});

describe('the console page', () => {
  it('lists the forms with their snippets and creates one', async () => {
    await signInToConsole(page, webUrl, admin, '/admin/forms');
    expect(await page.locator('h1').textContent()).toBe('Forms');
    const rows = await page.getByTestId('forms').locator('tbody tr th').allTextContents();
    expect(rows).toContain(FORM);
    const snippet = (await page.getByTestId(`snippet-${FORM}`).textContent()) ?? '';
    expect(snippet).toContain(`<form method="post" action="${webUrl}/subscribe/${FORM}">`);
    expect(snippet).toContain('name="email"');
    expect(snippet).toContain('name="name"');
    expect(snippet).toContain('name="website"');
    await inspectPage(page, 'admin-forms');

    await page.getByLabel('Key').fill(`footer-${run}`);
    await page.getByLabel('Name', { exact: true }).fill('Footer signup');
    await page.getByLabel('Promotions').check();
    await page.getByLabel('Consent text').fill('Send me promotions.');
    await submit(page, 'Create the form');
    expect(await page.getByRole('status').textContent()).toContain(`footer-${run}`);
    expect(await page.getByTestId(`snippet-footer-${run}`).textContent()).toContain(
      `/subscribe/footer-${run}`,
    );
    const audit = await db.auditLogEntry.findFirst({ where: { targetId: `footer-${run}` } });
    expect(audit?.actor).toBe(`admin:${admin.email}`);
  });

  it('disables a form with its button and enables it again, each through the API', async () => {
    const key = `footer-${run}`;
    await page.goto(`${webUrl}/admin/forms`);
    const button = (name: string) => page.getByRole('button', { name, exact: true });
    expect(await button(`Disable ${key}`).count()).toBe(1);
    expect(await button(`Enable ${key}`).count()).toBe(0);
    await submit(page, `Disable ${key}`);
    expect(await page.getByRole('status').textContent()).toContain(`The form ${key} was disabled`);
    expect(await button(`Disable ${key}`).count()).toBe(0);
    expect(await button(`Enable ${key}`).count()).toBe(1);
    expect(await page.getByTestId('forms').locator('tr', { hasText: key }).textContent()).toContain(
      'Disabled',
    );
    expect((await db.subscribeForm.findUniqueOrThrow({ where: { key } })).disabledAt).not.toBeNull();
    expect((await getPage(`${webUrl}/subscribe/${key}`)).status).toBe(410);
    await inspectPage(page, 'admin-forms-disabled');

    await submit(page, `Enable ${key}`);
    expect(await page.getByRole('status').textContent()).toContain(`The form ${key} was enabled again`);
    expect(await button(`Disable ${key}`).count()).toBe(1);
    expect((await db.subscribeForm.findUniqueOrThrow({ where: { key } })).disabledAt).toBeNull();
    const audit = await db.auditLogEntry.findMany({
      where: { targetId: key, action: { in: ['subscribe-form.disabled', 'subscribe-form.enabled'] } },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((row) => [row.actor, row.action])).toEqual([
      [`admin:${admin.email}`, 'subscribe-form.disabled'],
      [`admin:${admin.email}`, 'subscribe-form.enabled'],
    ]);
  });
});
