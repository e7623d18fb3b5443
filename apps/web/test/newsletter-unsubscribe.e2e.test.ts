import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectPage, launchChromium, submit } from './support/browser.js';
import {
  startHeraldWithWeb,
  startTestSmtpServer,
  type ApiClient,
  type HeraldWithWeb,
  type TestSmtpServer,
  type WebServer,
} from '@herald/test-support';

/**
 * Issue 3's acceptance scenario across the built processes: the API and a worker send through a
 * real SMTP server, a person follows the footer link in Chromium (JavaScript off) and confirms;
 * the next newsletter is suppressed while a required policy update still arrives. Then the same
 * person signs in to /account with the magic link Herald mailed.
 */
let catcher: TestSmtpServer;
let web: WebServer;
let stack: HeraldWithWeb;
let api: ApiClient;
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
  catcher = await startTestSmtpServer();
  [stack, browser] = await Promise.all([
    startHeraldWithWeb({ env: { SMTP_URL: catcher.smtpUrl } }),
    launchChromium(),
  ]);
  ({ web } = stack);
  api = stack.herald.client;
  noScript = await browser.newContext({ javaScriptEnabled: false });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
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
    expect(unsubscribeUrl).toMatch(new RegExp(`^${web.url}/unsubscribe/.+`));

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
    expect((await api.call('POST', '/v1/contacts', { email })).status).toBe(201);

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
    expect(signInUrl).toMatch(new RegExp(`^${web.url}/account/sign-in/.+`));

    await page.goto(signInUrl ?? '');
    await submit(page, 'Sign in');
    expect(await page.locator('h1').textContent()).toBe('Your email preferences');
    expect(await page.locator('main').textContent()).toContain(`${email[0]}••••@example.test`);

    // The link worked once.
    await page.goto(signInUrl ?? '');
    expect(await page.locator('h1').textContent()).toBe('This sign-in link cannot be used');
    await page.close();
  });
});
