import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInToConsole } from './support/admin-pages.js';
import { startConsoleStack, type ConsoleStack } from './support/admin-stack.js';
import { inspectPage, launchChromium, submit } from './support/browser.js';

/**
 * The console's conformance report in real Chromium with JavaScript off, against the built API,
 * worker and web app: a support opt-out and a delivered policy announcement show as promises kept,
 * a bad period is refused beside the form, and the PDF download is the page printed by Chromium.
 */
const run = randomBytes(3).toString('hex');
let stack: ConsoleStack;
let browser: Browser;
let noScript: BrowserContext;
let page: Page;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startConsoleStack(), launchChromium()]);
  const created = await stack.api.call('POST', '/v1/contacts', { email: `reader-${run}@example.test` });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const change = await stack.api.call('PUT', `/v1/contacts/${created.body.id}/preferences`, {
    changes: [{ category: 'newsletter', subscribed: false }],
    reason: 'Asked by phone',
  });
  expect(change.status, JSON.stringify(change.body)).toBe(200);
  noScript = await browser.newContext({ javaScriptEnabled: false });
  page = await noScript.newPage();
  await signInToConsole(page, stack.web.url, stack.admin, '/admin/conformance');
}, 120_000);

afterAll(async () => {
  await noScript?.close();
  await browser?.close();
  await stack?.stop();
});

describe('the policy evidence pack from the console', () => {
  it("downloads a version's signed evidence pack from its page", async () => {
    const policy = await stack.api.call('POST', '/v1/policies', {
      version: `evidence-${run}`,
      title: 'Privacy Policy',
      summary: 'We keep delivery logs for 90 days.',
      url: 'https://example.com/legal/privacy',
      effectiveAt: new Date(Date.now() + 40 * 24 * 3600 * 1000).toISOString(),
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
    expect((await stack.api.call('POST', `/v1/policies/${policy.body.id}/announce`, {})).status).toBe(202);
    const tab = await noScript.newPage();
    await tab.goto(`${stack.web.url}/admin/policies/${policy.body.id}`);
    const link = tab.getByRole('link', { name: 'Download the evidence pack' });
    expect(await link.getAttribute('href')).toBe(`/admin/policies/${policy.body.id}/evidence`);
    const cookie = (await noScript.cookies())
      .filter((entry) => entry.name === 'herald_admin')
      .map((entry) => `${entry.name}=${entry.value}`)
      .join('; ');
    const response = await fetch(`${stack.web.url}/admin/policies/${policy.body.id}/evidence`, {
      headers: { cookie },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const key = await fetch(`${stack.herald.apiUrl}/.well-known/herald-evidence-key`).then((answer) =>
      answer.json(),
    );
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    const manifest = JSON.parse(Buffer.from(files['manifest.json'] ?? new Uint8Array()).toString());
    expect(manifest).toMatchObject({ policyId: policy.body.id, key: { id: key.keyId } });
    await tab.close();
  });
});

describe('the conformance report page', () => {
  it('shows each promise for the last 30 days, with the opt-out by its channel', async () => {
    expect(new URL(page.url()).pathname).toBe('/admin/conformance');
    expect(await page.locator('h1').textContent()).toBe('Conformance report');
    const optOuts = page.getByRole('region', { name: 'Opt-outs by channel' });
    // Measured from the support change's arrival at the API to its consent-log row.
    expect(await optOuts.getByRole('row', { name: /Support/ }).textContent()).toMatch(
      /median [\d,]+ ms, longest [\d,]+ ms \(1 measured\)/,
    );
    const verdicts = await page.locator('.panel .badge').allTextContents();
    expect(verdicts.slice(0, 2)).toEqual(['kept', 'kept']);
    await inspectPage(page, 'admin-conformance');
  });

  it('refuses a reversed period beside the form and shows no report', async () => {
    await page.getByLabel('From (UTC day)').fill('2026-12-31');
    await page.getByLabel('To (UTC day, included)').fill('2026-12-01');
    await submit(page, 'Show the report');
    expect(await page.getByRole('alert').textContent()).toContain('"from" must be before "to"');
    expect(await page.getByRole('region', { name: 'Opt-outs by channel' }).count()).toBe(0);
  });

  it('downloads the page as a PDF printed by Chromium', async () => {
    const cookie = (await noScript.cookies())
      .filter((entry) => entry.name === 'herald_admin')
      .map((entry) => `${entry.name}=${entry.value}`)
      .join('; ');
    const response = await fetch(`${stack.web.url}/admin/conformance/pdf`, { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="herald-conformance-/);
    const pdf = Buffer.from(await response.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(5000);

    const anonymous = await fetch(`${stack.web.url}/admin/conformance/pdf`, { redirect: 'manual' });
    expect(anonymous.status).toBeGreaterThanOrEqual(300);
    expect(anonymous.headers.get('content-type')).not.toBe('application/pdf');
  });
});
