import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAdmin } from '../../../prisma/seed-admin.js';
import { readCounts, signInToConsole } from './support/admin-pages.js';
import { startConsoleStack, type ConsoleStack } from './support/admin-stack.js';
import { inspectPage, launchChromium, submit } from './support/browser.js';
import { csrfOf, signedInCookie, type Account } from './support/console-sign-in.js';
import { getPage, postForm, textOf } from './support/forms.js';

/**
 * The console's import page against the built API, worker and web app: in Chromium without
 * JavaScript an owner uploads a CSV with its own column names, maps them, checks a dry run (an
 * address that unsubscribed before is kept unsubscribed, a bad row is named by its line, nothing is
 * written), runs it and follows the progress page, which refreshes itself until the stack's worker
 * has applied it. Over HTTP: the API's refusal of a mapping (no email column, no basis) is a 400
 * page naming the problem and imports nothing; someone else's upload is not theirs to see; a
 * marketer gets 403.
 */
const run = randomBytes(3).toString('hex');
const BASIS = 'double opt-in on example.com, 2019';
const UPLOADS = join(tmpdir(), 'herald-imports');
let stack: ConsoleStack;
let browser: Browser;
let support: Account;
let marketer: Account;
/** Uploads left for a mapping that was never run: removed after the tests rather than a day later. */
const leftOver: string[] = [];

async function account(role: 'support' | 'marketer'): Promise<Account> {
  const created = { email: `${role}-${run}@example.test`, password: randomBytes(12).toString('base64url') };
  await seedAdmin(stack.db, { ...created, role });
  return created;
}

async function api(method: string, path: string, body?: unknown) {
  const response = await stack.api.call(method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
  return response.body;
}

/** An address that unsubscribed from the newsletter before the import. */
async function unsubscribedContact(label: string): Promise<string> {
  const email = `${label}-${run}@example.test`;
  const { id } = await api('POST', '/v1/contacts', { email });
  await api('PUT', `/v1/contacts/${id}/preferences`, {
    changes: [{ category: 'newsletter', subscribed: false }],
    reason: 'Asked by phone',
  });
  return email;
}

const newsletterOf = (email: string) =>
  stack.db.preference.findFirst({ where: { contact: { email }, categoryKey: 'newsletter' } });

const uploadToken = (location: string) => new URL(location, 'http://x').searchParams.get('upload') ?? '';

beforeAll(async () => {
  [stack, browser] = await Promise.all([startConsoleStack(), launchChromium()]);
  [support, marketer] = [await account('support'), await account('marketer')];
}, 120_000);
afterAll(async () => {
  for (const token of leftOver) {
    for (const suffix of ['.data', '.json']) rmSync(join(UPLOADS, token + suffix), { force: true });
  }
  await browser?.close();
  await stack?.stop();
});

describe('the import page in Chromium without JavaScript', () => {
  it('uploads, maps, checks a dry run, runs, and follows the progress until the worker finishes', async () => {
    const kept = await unsubscribedContact('kept');
    const fresh = `fresh-${run}@example.test`;
    const csv = [
      'E-mail Address,First name,Plan',
      `${fresh},Ada,pro`,
      `${kept},Kept,free`,
      'not-an-address,Bad,free',
    ].join('\n');
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signInToConsole(page, stack.web.url, stack.admin, '/admin/imports');
    expect(new URL(page.url()).pathname).toBe('/admin/imports');
    await inspectPage(page, 'imports');

    await page.getByLabel('File').setInputFiles({
      name: 'crm-export.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.getByLabel('Newsletter', { exact: true }).check();
    await page.getByLabel('Consent basis').fill(BASIS);
    await submit(page, 'Upload and map the columns');
    const mappingUrl = new URL(page.url());
    expect(mappingUrl.pathname).toBe('/admin/imports/new');
    const token = uploadToken(page.url());
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(existsSync(join(UPLOADS, `${token}.data`))).toBe(true);

    // The columns as the file names them; "E-mail Address" is recognised, the others are chosen.
    expect(await page.getByLabel('Column “E-mail Address”').inputValue()).toBe('email');
    expect(await page.getByLabel('Column “First name”').inputValue()).toBe('leave-out');
    await page.getByLabel('Column “First name”').selectOption('name');
    await page.getByLabel('Column “Plan”').selectOption('attribute');
    expect(await page.getByLabel('Newsletter', { exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel('Consent basis').inputValue()).toBe(BASIS);

    const importsBefore = await stack.db.import.count();
    await submit(page, 'Check (dry run)');
    expect(
      await readCounts(page, 'dry-run-counts'),
      textOf(await page.content()).slice(0, 2000),
    ).toMatchObject({
      Rows: 3,
      'New contacts': 1,
      Subscribed: 1,
      'Kept unsubscribed': 1,
      'Bad rows': 1,
    });
    const preview = await page
      .getByTestId('dry-run-preview')
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent?.trim() ?? '')),
      );
    expect(preview).toEqual([
      ['2', fresh, 'subscribed', 'new contact, subscribed'],
      ['3', kept, 'subscribed', expect.stringContaining('kept unsubscribed')],
      ['4', '—', '—', expect.stringMatching(/^not imported: email/)],
    ]);
    expect(await page.getByTestId('dry-run-errors').textContent()).toMatch(/^Line 4: email/);
    // The choices survive the check, and nothing was written.
    expect(await page.getByLabel('Column “Plan”').inputValue()).toBe('attribute');
    expect(await stack.db.contact.count({ where: { email: fresh } })).toBe(0);
    expect(await stack.db.import.count()).toBe(importsBefore);
    await inspectPage(page, 'import mapping');

    await submit(page, 'Run import');
    const importPath = new URL(page.url()).pathname;
    expect(importPath).toMatch(/^\/admin\/imports\/[0-9a-f-]{36}$/);
    const id = importPath.split('/').pop() ?? '';
    expect(existsSync(join(UPLOADS, `${token}.data`))).toBe(false);
    expect(existsSync(join(UPLOADS, `${token}.json`))).toBe(false);

    // Without JavaScript the page reloads itself every 2 s while the worker applies the import.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const status = (await page.locator('.page-head .badge').textContent()) ?? '';
      if (status === 'finished') break;
      expect(['queued', 'running']).toContain(status);
      expect(await page.locator('noscript meta[http-equiv="refresh"]').count()).toBe(1);
      expect(await page.locator('progress#import-progress').count()).toBe(1);
      if (Date.now() > deadline) throw new Error(`import ${id} is still ${status}`);
      await page.waitForNavigation({ waitUntil: 'load', timeout: 5_000 });
    }
    expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
    expect(await page.getByTestId('import-state').textContent()).toBe('Finished.');
    const progress = page.locator('progress#import-progress');
    expect([await progress.getAttribute('value'), await progress.getAttribute('max')]).toEqual(['2', '2']);
    expect(await readCounts(page, 'import-counts')).toMatchObject({
      Rows: 3,
      'New contacts': 1,
      Subscribed: 1,
      'Kept unsubscribed': 1,
      'Bad rows': 1,
    });
    await inspectPage(page, 'import progress');

    // What the worker wrote: the new contact as mapped; the address that opted out stays out.
    expect(
      await stack.db.contact.findUnique({
        where: { email: fresh },
        select: { name: true, attributes: true },
      }),
    ).toEqual({ name: 'Ada', attributes: { plan: 'pro' } });
    expect((await newsletterOf(fresh))?.subscribed).toBe(true);
    expect((await newsletterOf(kept))?.subscribed).toBe(false);
    expect(await stack.db.import.findUniqueOrThrow({ where: { id } })).toMatchObject({
      actor: `admin:${stack.admin.email}`,
      basis: BASIS,
      categories: ['newsletter'],
    });

    // The bad rows as CSV, and the list linking the import.
    const cookie = (await context.cookies())
      .filter((entry) => entry.name === 'herald_admin')
      .map((entry) => `${entry.name}=${entry.value}`)
      .join('; ');
    const errors = await fetch(`${stack.web.url}/admin/imports/${id}/errors`, { headers: { cookie } });
    expect(errors.status).toBe(200);
    expect(errors.headers.get('content-disposition')).toBe(
      `attachment; filename="herald-import-${id}-errors.csv"`,
    );
    expect((await errors.text()).trimEnd().split('\r\n')).toEqual([
      'line,message',
      expect.stringMatching(/^4,email/),
    ]);
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.getByRole('link', { name: 'All imports' }).click(),
    ]);
    expect(await page.locator(`a[href="/admin/imports/${id}"]`).count()).toBe(1);
    await context.close();
  }, 60_000);
});

describe('the import page over HTTP', () => {
  /** Uploads a file as a browser does (multipart), answering the mapping page's address. */
  async function upload(cookie: string, csv: string, basis = BASIS): Promise<string> {
    const csrf = csrfOf((await getPage(`${stack.web.url}/admin/imports`, { cookie })).html);
    const form = new FormData();
    form.append('csrf', csrf);
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'people.csv');
    form.append('categories', 'newsletter');
    form.append('basis', basis);
    const response = await fetch(`${stack.web.url}/admin/imports?index`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
      headers: { cookie },
    });
    expect(response.status, await response.text()).toBe(303);
    const location = response.headers.get('location') ?? '';
    leftOver.push(uploadToken(location));
    return location;
  }

  it('shows the API’s refusal of a mapping as a 400 page naming the problem, and imports nothing', async () => {
    const cookie = await signedInCookie(stack.web.url, support);
    const address = `refused-${run}@example.test`;
    const location = await upload(cookie, `Email,Plan\n${address},pro\n`);
    expect(location).toMatch(/^\/admin\/imports\/new\?upload=/);
    const mapping = await getPage(`${stack.web.url}${location}`, { cookie });
    expect(mapping.status).toBe(200);
    expect(mapping.html).toMatch(/<option value="email" selected="">/);
    const csrf = csrfOf(mapping.html);
    const importsBefore = await stack.db.import.count();
    const post = (fields: [string, string][]) =>
      postForm(
        `${stack.web.url}${location}`,
        [['csrf', csrf], ['upload', uploadToken(location)], ['categories', 'newsletter'], ...fields],
        { cookie },
      );

    const noEmail = await post([
      ['field-0', 'leave-out'],
      ['field-1', 'attribute'],
      ['basis', BASIS],
      ['intent', 'check'],
    ]);
    expect(noEmail.status).toBe(400);
    expect(textOf(noEmail.html).replace(/&quot;/g, '"')).toContain('The CSV header has no "email" column.');

    const noBasis = await post([
      ['field-0', 'email'],
      ['field-1', 'attribute'],
      ['basis', ''],
      ['intent', 'run'],
    ]);
    expect(noBasis.status).toBe(400);
    expect(textOf(noBasis.html)).toContain('Must say how the consent was collected');
    expect(await stack.db.import.count()).toBe(importsBefore);
    expect(await stack.db.contact.count({ where: { email: address } })).toBe(0);
    // Refused, the upload stays for a corrected mapping; it is this person's only.
    expect(existsSync(join(UPLOADS, `${uploadToken(location)}.data`))).toBe(true);
    const owner = await signedInCookie(stack.web.url, stack.admin);
    const theirs = await getPage(`${stack.web.url}${location}`, { cookie: owner });
    expect(theirs.status).toBe(404);
    expect(textOf(theirs.html)).toContain('This upload is gone');
  });

  it('a marketer gets 403 from the list, the upload and the mapping, and uploads nothing', async () => {
    const supportCookie = await signedInCookie(stack.web.url, support);
    const location = await upload(supportCookie, 'email\nsomeone@example.test\n');
    const cookie = await signedInCookie(stack.web.url, marketer);
    expect((await getPage(`${stack.web.url}/admin/imports`, { cookie })).status).toBe(403);
    expect((await getPage(`${stack.web.url}${location}`, { cookie })).status).toBe(403);
    const csrf = csrfOf((await getPage(`${stack.web.url}/admin/account`, { cookie })).html);
    const form = new FormData();
    form.append('csrf', csrf);
    form.append('file', new Blob(['email\nmarketer@example.test\n'], { type: 'text/csv' }), 'x.csv');
    form.append('basis', BASIS);
    const refused = await fetch(`${stack.web.url}/admin/imports?index`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
      headers: { cookie },
    });
    expect(refused.status).toBe(403);
    const { id: marketerId } = await stack.db.adminUser.findUniqueOrThrow({
      where: { email: marketer.email },
    });
    const uploadedBy = readdirSync(UPLOADS)
      .filter((name) => name.endsWith('.json'))
      .map((name) => (JSON.parse(readFileSync(join(UPLOADS, name), 'utf8')) as { adminId: string }).adminId);
    expect(uploadedBy).not.toContain(marketerId);
  });
});
