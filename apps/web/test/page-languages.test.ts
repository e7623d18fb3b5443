import type { Db } from '@herald/db';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectPage, launchChromium, submit } from './support/browser.js';
import { connect, createContact, tokenFor } from './support/fixtures.js';
import { storeSignInToken } from './support/sign-in.js';
import { startWebServer, type WebServer } from '@herald/test-support';

/**
 * The recipient pages in the reader's language (docs/decisions/021-page-translations.md): the
 * switch's choice, else the contact's stored locale, else Accept-Language, else English. In real
 * Chromium with JavaScript off (plain links and forms), against the built server.
 */
let web: WebServer;
let db: Db;
let browser: Browser;

beforeAll(async () => {
  db = connect();
  [web, browser] = await Promise.all([startWebServer(), launchChromium()]);
  // This file's database is its own copy: its seed categories' translations can change here.
  // Product news loses its own, to show a category without a German name.
  await db.category.update({ where: { key: 'product-news' }, data: { translations: {} } });
  await db.category.update({
    where: { key: 'newsletter' },
    data: {
      translations: {
        de: { name: 'Rundbrief', description: 'Einmal im Monat, was wir gebaut und gelernt haben.' },
        'de-AT': { name: 'Monatsbrief' },
        ar: { name: 'النشرة الإخبارية', description: 'ملخص شهري لما أطلقناه وما تعلمناه.' },
      },
    },
  });
});
afterAll(async () => {
  await browser?.close();
  await web?.stop();
  await db?.$disconnect();
});

async function contactWith(locale: string, timezone = 'UTC') {
  const contact = await createContact(db, 'i18n');
  return db.contact.update({ where: { id: contact.id }, data: { locale, timezone } });
}

/** A fresh browser without JavaScript; `acceptLanguage` is the header Chromium sends. */
async function openPage(acceptLanguage = 'en-US,en;q=0.9') {
  const context = await browser.newContext({
    javaScriptEnabled: false,
    extraHTTPHeaders: { 'Accept-Language': acceptLanguage },
  });
  return context.newPage();
}

const htmlAttributes = (page: Page) =>
  page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));

/** Fetches a page the way a client without Accept-Language would, for its html element. */
async function fetchHtml(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${web.url}${path}`, { headers: { 'Accept-Language': '', ...headers } });
  const html = await response.text();
  return { response, html, lang: /<html lang="([^"]*)" dir="([^"]*)"/.exec(html)?.slice(1) };
}

describe('the language a recipient page speaks', () => {
  it('a contact with locale de sees the German preference center, German category names included', async () => {
    const contact = await contactWith('de');
    const page = await openPage();
    await page.goto(`${web.url}/preferences/${tokenFor(web, contact.id)}`);
    expect(await htmlAttributes(page)).toEqual({ lang: 'de', dir: 'ltr' });
    expect(await page.locator('h1').textContent()).toBe('Ihre E-Mail-Einstellungen');
    expect(await page.title()).toBe('Ihre E-Mail-Einstellungen');
    expect(await page.locator('legend').allTextContents()).toEqual([
      'Zu Ihrem Konto (Transaktions-E-Mails)',
      'Marketing (Werbe-E-Mails)',
    ]);
    expect(await page.getByLabel('Rundbrief').isChecked()).toBe(true);
    expect(await page.locator('main').textContent()).toContain(
      'Einmal im Monat, was wir gebaut und gelernt haben.',
    );
    // A category without a German translation keeps its own name.
    expect(await page.getByLabel('Product news').isChecked()).toBe(true);

    await page.getByLabel('Rundbrief').uncheck();
    await submit(page, 'Meine Einstellungen speichern');
    expect(await page.getByRole('status').textContent()).toContain('Gespeichert. Das hat sich geändert:');
    expect(await page.getByRole('status').textContent()).toContain('Rundbrief: aus');
    await page.context().close();
  });

  it('a contact with locale de-AT gets German, and the de-AT category name before the de one', async () => {
    const contact = await contactWith('de-AT');
    const page = await openPage();
    await page.goto(`${web.url}/unsubscribe/${tokenFor(web, contact.id)}`);
    expect(await htmlAttributes(page)).toEqual({ lang: 'de', dir: 'ltr' });
    expect(await page.locator('h1').textContent()).toBe('Von „Monatsbrief“ abmelden?');
    await submit(page, 'Abmelden');
    expect(await page.locator('h1').textContent()).toBe('Sie sind abgemeldet');
    expect(await page.getByRole('status').textContent()).toContain(
      'Sie erhalten keine E-Mails der Kategorie „Monatsbrief“ mehr.',
    );
    await page.context().close();
  });

  it('a contact whose locale the pages do not speak (sw), with no Accept-Language, gets English', async () => {
    const contact = await contactWith('sw');
    const { response, html, lang } = await fetchHtml(`/preferences/${tokenFor(web, contact.id)}`);
    expect(response.status).toBe(200);
    expect(lang).toEqual(['en', 'ltr']);
    expect(html).toContain('<h1>Your email preferences</h1>');
    expect(html).toContain('Newsletter');
  });

  it('the contact’s locale counts before the browser’s, the browser’s before English', async () => {
    const german = await contactWith('de');
    const swahili = await contactWith('sw');
    const accept = { 'Accept-Language': 'ja-JP,ja;q=0.9' };
    expect((await fetchHtml(`/preferences/${tokenFor(web, german.id)}`, accept)).lang).toEqual(['de', 'ltr']);
    expect((await fetchHtml(`/preferences/${tokenFor(web, swahili.id)}`, accept)).lang).toEqual([
      'ja',
      'ltr',
    ]);
  });

  it('a page without a contact honours Accept-Language: fr-CA,fr;q=0.9', async () => {
    const { response, html, lang } = await fetchHtml('/account', { 'Accept-Language': 'fr-CA,fr;q=0.9' });
    expect(response.status).toBe(200);
    expect(response.headers.get('vary')).toMatch(/Accept-Language/);
    expect(lang).toEqual(['fr', 'ltr']);
    expect(html).toContain('Connectez-vous pour gérer vos e-mails');
    // Error pages too.
    const missing = await fetchHtml('/preferences/not-a-valid-token', {
      'Accept-Language': 'fr-CA,fr;q=0.9',
    });
    expect(missing.response.status).toBe(400);
    expect(missing.html).toContain('Ce lien n’est pas valide');
  });

  it('the sign-in link’s page speaks its contact’s language', async () => {
    const contact = await contactWith('es');
    const { html, lang } = await fetchHtml(`/account/sign-in/${await storeSignInToken(db, contact.id)}`);
    expect(lang).toEqual(['es', 'ltr']);
    expect(html).toContain('Inicia sesión para ver y cambiar qué correos te enviamos.');
  });

  it('the staff console stays English whatever the browser asks for', async () => {
    const { html, lang } = await fetchHtml('/admin/sign-in', { 'Accept-Language': 'de' });
    expect(lang).toEqual(['en', 'ltr']);
    expect(html).not.toContain('language-switch');
  });
});

describe('the language switch', () => {
  it('changes the language with a plain link and is remembered, over the contact’s own locale too', async () => {
    const contact = await contactWith('de');
    const page = await openPage();
    await page.goto(`${web.url}/preferences/${tokenFor(web, contact.id)}`);
    const languages = page.getByRole('navigation', { name: 'Sprache' });
    expect(await languages.getByRole('link').allTextContents()).toEqual([
      'English',
      'Deutsch',
      'Français',
      'Español',
      '日本語',
      'العربية',
    ]);
    expect(await languages.getByRole('link', { name: 'Deutsch' }).getAttribute('aria-current')).toBe('true');

    await Promise.all([page.waitForNavigation(), languages.getByRole('link', { name: 'Español' }).click()]);
    expect(await htmlAttributes(page)).toEqual({ lang: 'es', dir: 'ltr' });
    expect(await page.locator('h1').textContent()).toBe('Tus preferencias de correo');

    // Remembered: another page, and the same link without ?lang=, stay Spanish.
    await page.goto(`${web.url}/account`);
    expect(await page.locator('h1').textContent()).toBe('Inicia sesión para gestionar tu correo');
    await page.goto(`${web.url}/preferences/${tokenFor(web, contact.id)}`);
    expect(await htmlAttributes(page)).toEqual({ lang: 'es', dir: 'ltr' });
    // Forms post in the chosen language too.
    await submit(page, 'Guardar mis preferencias');
    expect(await page.getByRole('status').textContent()).toBe('Guardado. No ha cambiado nada.');

    const cookies = await page.context().cookies();
    expect(cookies.find((cookie) => cookie.name === 'herald_lang')).toMatchObject({
      value: 'es',
      httpOnly: true,
      sameSite: 'Lax',
    });
    await page.context().close();
  });
});

describe('with JavaScript on', () => {
  it('the German page hydrates without errors and a client-side save answers in German', async () => {
    const contact = await contactWith('de', 'Europe/Berlin');
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // Registered before the page loads, so a hydration mismatch would be caught; the browser's own
    // request for /favicon.ico (the app has none) is not the page's.
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) {
        errors.push(`${message.text()} ${message.location().url}`);
      }
    });
    await page.goto(`${web.url}/preferences/${tokenFor(web, contact.id)}`);
    await page.waitForFunction(() => '__remixRouter' in window);
    await page.getByLabel('Rundbrief').uncheck();
    await page.getByRole('button', { name: 'Meine Einstellungen speichern' }).click();
    await page.waitForSelector('text=Rundbrief: aus');
    expect(await htmlAttributes(page)).toEqual({ lang: 'de', dir: 'ltr' });
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('right to left', () => {
  it('the Arabic pages are dir="rtl", pass axe-core with no violation at all, and work at phone width', async () => {
    const contact = await contactWith('ar');
    const page = await openPage('ar');
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${web.url}/preferences/${tokenFor(web, contact.id)}`);
    expect(await htmlAttributes(page)).toEqual({ lang: 'ar', dir: 'rtl' });
    expect(await page.locator('h1').textContent()).toBe('تفضيلات بريدك الإلكتروني');
    expect(await page.getByLabel('النشرة الإخبارية').isChecked()).toBe(true);
    await expectNoAxeViolations(page);

    // Laid out from the right: the heading starts at the right edge of the main column.
    const box = await page.evaluate(() => {
      const main = document.querySelector('main')!.getBoundingClientRect();
      const heading = document.querySelector('h1')!.getBoundingClientRect();
      return {
        mainRight: main.right,
        headingRight: heading.right,
        width: document.documentElement.scrollWidth,
      };
    });
    expect(box.mainRight - box.headingRight).toBeLessThan(40);
    expect(box.width).toBeLessThanOrEqual(360);
    // Also at desktop width, with a screenshot of each (inspectPage leaves the page at 1280 px).
    await inspectPage(page, 'preferences-ar');
    await page.setViewportSize({ width: 360, height: 740 });

    // At phone width the form still saves.
    await page.getByLabel('النشرة الإخبارية').uncheck();
    await submit(page, 'احفظ تفضيلاتي');
    // Names put into an Arabic message are bidi-isolated (U+2068 … U+2069, translator.tsx).
    const saved = (await page.getByRole('status').textContent()) ?? '';
    expect(saved.replace(/[\u2068\u2069]/g, '')).toContain('النشرة الإخبارية: متوقف');
    await expectNoAxeViolations(page);

    await page.goto(`${web.url}/unsubscribe/${tokenFor(web, contact.id)}`);
    expect(await htmlAttributes(page)).toEqual({ lang: 'ar', dir: 'rtl' });
    await expectNoAxeViolations(page);
    await inspectPage(page, 'unsubscribe-ar');
    await page.context().close();
  });
});

describe('one-click', () => {
  it('still answers 200, in the language the request asks for', async () => {
    const contact = await contactWith('de');
    const response = await fetch(`${web.url}/u/${tokenFor(web, contact.id)}`, {
      method: 'POST',
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
      headers: { 'Accept-Language': 'de-DE,de;q=0.9' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-language')).toBe('de');
    expect(await response.text()).toBe('Sie sind abgemeldet.\n');
  });
});

/**
 * axe-core over the page's HTML without its scripts (JavaScript is off in the page itself, and axe
 * needs timers), at the page's address so its stylesheet loads: every violation, whatever its impact.
 */
async function expectNoAxeViolations(page: Page) {
  const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
  const context = await page.context().browser()!.newContext({ viewport: page.viewportSize() });
  try {
    const audit = await context.newPage();
    await audit.route(page.url(), (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: html }),
    );
    await audit.goto(page.url());
    await audit.evaluate(axe.source);
    const results = await audit.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run());
    expect(results.violations.map((violation) => `${violation.id} (${violation.impact})`)).toEqual([]);
  } finally {
    await context.close();
  }
}
