import type { Db } from '@herald/db';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, submit } from './support/browser.js';
import { connect, consentLog, createContact, tokenFor } from './support/fixtures.js';
import { getPage, postForm } from './support/forms.js';
import { storeSignInToken } from './support/sign-in.js';
import { startWebServer, type WebServer } from '@herald/test-support';

/**
 * Issue 11, finding 15 (headers): a script CSP with a per-response nonce, no framing, nosniff,
 * no-store and no-referrer on the pages whose address or content is one person's, HSTS over https;
 * and the pages still work in Chromium under that policy.
 */
let web: WebServer;
let db: Db;
let browser: Browser;

beforeAll(async () => {
  db = connect();
  [web, browser] = await Promise.all([startWebServer(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await web?.stop();
  await db?.$disconnect();
});

const nonceOf = (csp: string | null) => /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp ?? '')?.[1];

describe('security headers', () => {
  it('every page: a script CSP whose nonce is new each time and is on every inline script', async () => {
    const first = await getPage(`${web.url}/policy`);
    const second = await getPage(`${web.url}/policy`);
    for (const page of [first, second]) {
      const csp = page.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
      const nonce = nonceOf(csp);
      expect(nonce).toBeDefined();
      const scripts = [...page.html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
    }
    expect(nonceOf(first.headers.get('content-security-policy'))).not.toBe(
      nonceOf(second.headers.get('content-security-policy')),
    );
    // Not a token page: kept out of other sites' Referer, cacheable.
    expect(first.headers.get('referrer-policy')).toBe('same-origin');
    expect(first.headers.get('cache-control')).toBeNull();
    expect(first.headers.get('strict-transport-security')).toBeNull();
  });

  it('token, account and console pages: no-store, and no-referrer where the address is a token', async () => {
    const contact = await createContact(db);
    const token = tokenFor(web, contact.id);
    const signIn = await storeSignInToken(db, contact.id);
    const tokenPages = [
      `/unsubscribe/${token}`,
      `/preferences/${token}`,
      `/account/sign-in/${signIn}`,
      '/preferences/not-a-valid-token',
    ];
    for (const path of tokenPages) {
      const page = await getPage(`${web.url}${path}`);
      expect(page.headers.get('cache-control'), path).toBe('no-store');
      expect(page.headers.get('referrer-policy'), path).toBe('no-referrer');
    }
    const oneClick = await fetch(`${web.url}/u/${token}`, {
      method: 'POST',
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
    });
    expect(oneClick.status).toBe(200);
    expect(oneClick.headers.get('cache-control')).toBe('no-store');
    expect(oneClick.headers.get('referrer-policy')).toBe('no-referrer');

    for (const path of ['/account', '/admin/sign-in', '/admin']) {
      const page = await getPage(`${web.url}${path}`);
      expect(page.headers.get('cache-control'), path).toBe('no-store');
      expect(page.headers.get('referrer-policy'), path).toBe('same-origin');
    }
  });

  it('sends HSTS when the public address is https', async () => {
    const secure = await startWebServer({ PUBLIC_WEB_URL: 'https://prefs.example.test' });
    try {
      const page = await getPage(`${secure.url}/policy`);
      expect(page.headers.get('strict-transport-security')).toBe('max-age=31536000');
    } finally {
      await secure.stop();
    }
  });

  it('takes a form post with Origin null only when the browser says it came from this site', async () => {
    const contact = await createContact(db);
    const url = `${web.url}/unsubscribe/${tokenFor(web, contact.id)}`;
    const fields: [string, string][] = [['intent', 'unsubscribe']];
    expect((await postForm(url, fields, { origin: 'null' })).status).toBe(403);
    expect((await postForm(url, fields, { origin: 'null', 'sec-fetch-site': 'cross-site' })).status).toBe(
      403,
    );
    expect(await consentLog(db, contact.id)).toEqual([]);
  });
});

describe('pages under the CSP in Chromium', () => {
  it('hydrate and submit with JavaScript on, with no CSP violation; an injected inline script does not run', async () => {
    const contact = await createContact(db, 'csp');
    const context = await browser.newContext();
    const page = await context.newPage();
    const violations: string[] = [];
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(`${web.url}/preferences/${tokenFor(web, contact.id)}`);
    // Hydrated: Remix's inline scripts ran, with the nonce, and nothing was refused.
    await page.waitForFunction(() => '__remixRouter' in window);
    expect(violations).toEqual([]);

    const blocked = await page.evaluate(
      () =>
        new Promise<boolean>((resolve) => {
          document.addEventListener('securitypolicyviolation', () => resolve(true), { once: true });
          const script = document.createElement('script');
          script.textContent = 'window.injected = true';
          document.body.append(script);
          setTimeout(() => resolve(false), 2000);
        }),
    );
    expect(blocked).toBe(true);
    expect(await page.evaluate(() => 'injected' in window)).toBe(false);

    await page.getByLabel('Newsletter').uncheck();
    await page.getByRole('button', { name: 'Save my preferences' }).click();
    await page.waitForSelector('text=Newsletter: off');
    expect((await consentLog(db, contact.id)).map((row) => row.categoryKey)).toEqual(['newsletter']);
    expect(violations).toHaveLength(1);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('a token page’s form works without JavaScript although its Referrer-Policy hides the origin', async () => {
    const contact = await createContact(db, 'csp');
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${web.url}/unsubscribe/${tokenFor(web, contact.id)}`);
    await submit(page, 'Unsubscribe');
    expect(await page.locator('main').textContent()).toContain('You are unsubscribed');
    expect((await consentLog(db, contact.id)).map((row) => row.action)).toEqual(['unsubscribe']);
    await context.close();
  });
});
