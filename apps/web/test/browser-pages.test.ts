import type { Db } from '@herald/db';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectPage, launchChromium, submit } from './support/browser.js';
import { connect, consentLog, createContact, tokenFor } from './support/fixtures.js';
import { storeSignInToken } from './support/sign-in.js';
import { startWebServer, type WebServer } from '@herald/test-support';

/**
 * The pages in real Chromium with JavaScript switched off (plain forms), checked by axe-core at
 * 360 and 1280 pixels wide, with screenshots. One case runs with JavaScript on, through Remix's
 * client-side navigation.
 */
let web: WebServer;
let db: Db;
let browser: Browser;
let noScript: BrowserContext;

beforeAll(async () => {
  db = connect();
  [web, browser] = await Promise.all([startWebServer(), launchChromium()]);
  noScript = await browser.newContext({ javaScriptEnabled: false });
});
afterAll(async () => {
  await browser?.close();
  await web?.stop();
  await db?.$disconnect();
});

describe('pages in Chromium without JavaScript', () => {
  it('unsubscribe page: confirm, see the result, undo', async () => {
    const contact = await createContact(db, 'browser');
    const page = await noScript.newPage();
    await page.goto(`${web.url}/unsubscribe/${tokenFor(web, contact.id)}`);
    expect(await page.locator('h1').textContent()).toBe('Unsubscribe from Newsletter?');
    await inspectPage(page, 'unsubscribe');

    await submit(page, 'Unsubscribe');
    expect(await page.locator('main').textContent()).toContain('You are unsubscribed');
    expect(await page.getByRole('status').textContent()).toContain(
      'You will not get Newsletter emails any more',
    );
    await inspectPage(page, 'unsubscribe-done');

    await submit(page, 'Undo: subscribe me again');
    expect(await page.locator('main').textContent()).toContain('You are subscribed again');
    await inspectPage(page, 'unsubscribe-undone');
    expect((await consentLog(db, contact.id)).map((row) => row.action)).toEqual(['unsubscribe', 'subscribe']);
    await page.close();
  });

  it('preference center: three changes saved at once, three consent-log entries, the changes listed', async () => {
    const contact = await createContact(db, 'browser');
    const page = await noScript.newPage();
    await page.goto(`${web.url}/preferences/${tokenFor(web, contact.id)}`);
    await inspectPage(page, 'preferences');
    expect(await page.getByLabel('Security').isDisabled()).toBe(true);
    expect(await page.getByLabel('Security').isChecked()).toBe(true);

    await page.getByLabel('Newsletter').uncheck();
    await page.getByLabel('Product news').uncheck();
    await page.getByLabel('Service notices').uncheck();
    await submit(page, 'Save my preferences');
    expect(await page.locator('main').textContent()).toContain('Saved. What changed:');

    const saved = (await page.getByRole('status').textContent()) ?? '';
    expect(saved).toContain('Newsletter: off');
    expect(saved).toContain('Product news: off');
    expect(saved).toContain('Service notices: off');
    expect(await page.getByLabel('Newsletter').isChecked()).toBe(false);
    await inspectPage(page, 'preferences-saved');

    const log = await consentLog(db, contact.id);
    expect(log.map((row) => `${row.categoryKey}:${row.action}:${row.source}`).sort()).toEqual([
      'newsletter:unsubscribe:preference_center',
      'product-news:unsubscribe:preference_center',
      'service-notices:unsubscribe:preference_center',
    ]);
    await page.close();
  });

  it('account: the sign-in form, the signed-in preference center and sign-out', async () => {
    const contact = await createContact(db, 'browser');
    const page = await noScript.newPage();
    await page.goto(`${web.url}/account`);
    await inspectPage(page, 'account-sign-in');
    await page.getByLabel('Email address').fill(`unknown-${Date.now()}@example.test`);
    await submit(page, 'Email me a sign-in link');
    expect(await page.locator('main').textContent()).toContain('If an account uses that address');
    await inspectPage(page, 'account-link-sent');

    await page.goto(`${web.url}/account/sign-in/${await storeSignInToken(db, contact.id)}`);
    await inspectPage(page, 'account-sign-in-link');
    await submit(page, 'Sign in');
    expect(await page.locator('main').textContent()).toContain('Your email preferences');
    await inspectPage(page, 'account-preferences');

    await page.getByLabel('All marketing email').uncheck();
    await submit(page, 'Save my preferences');
    expect(await page.locator('main').textContent()).toContain('All marketing email: off');
    expect((await consentLog(db, contact.id)).map((row) => [row.categoryKey, row.source])).toEqual([
      [null, 'account_page'],
    ]);

    await submit(page, 'Sign out');
    expect(await page.locator('main').textContent()).toContain('Sign in to manage your email');
    await page.close();
  });

  it('the bad-link page is a 400 that passes axe too', async () => {
    const page = await noScript.newPage();
    const response = await page.goto(`${web.url}/preferences/not-a-valid-token`);
    expect(response?.status()).toBe(400);
    expect(await page.locator('h1').textContent()).toBe('This link is not valid');
    await inspectPage(page, 'bad-link');
    await page.close();
  });
});

describe('with JavaScript on', () => {
  it('the same forms work through Remix’s client-side submissions', async () => {
    const contact = await createContact(db, 'browser-js');
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${web.url}/preferences/${tokenFor(web, contact.id)}`);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await page.waitForFunction(() => '__remixRouter' in window);
    await page.getByLabel('Offers and promotions').uncheck();
    await page.getByRole('button', { name: 'Save my preferences' }).click();
    await page.waitForSelector('text=Offers and promotions: off');
    expect((await consentLog(db, contact.id)).map((row) => row.categoryKey)).toEqual(['promotions']);
    expect(errors).toEqual([]);
    await context.close();
  });
});
