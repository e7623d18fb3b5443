import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInToConsole } from './support/admin-pages.js';
import { startConsoleStack, type ConsoleStack } from './support/admin-stack.js';
import { inspectPage, launchChromium } from './support/browser.js';

/**
 * The console's templates page in real Chromium with JavaScript off, against the built API, worker
 * and web app: it lists each template's translations, previews each one in its language, warns
 * that contacts read a language a category's templates lack, and counts the messages that went in
 * the default language instead.
 */
const run = randomBytes(3).toString('hex');
let stack: ConsoleStack;
let browser: Browser;
let noScript: BrowserContext;
let page: Page;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startConsoleStack(), launchChromium()]);
  // Two readers of Portuguese, a language no template is translated into, and one newsletter to one.
  const ids: string[] = [];
  for (let i = 0; i < 2; i++) {
    const created = await stack.api.call('POST', '/v1/contacts', {
      email: `leitor-${i}-${run}@example.test`,
      locale: 'pt-BR',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    ids.push(created.body.id);
  }
  const sent = await stack.api.call('POST', '/v1/messages', {
    template: 'newsletter',
    to: { contactId: ids[0] },
    data: {
      headline: 'Novidades',
      intro: 'O que mudou.',
      articles: [{ title: 'Mais rápido', summary: 'Envios mais rápidos.', url: 'https://example.test/a' }],
    },
  });
  expect(sent.status, JSON.stringify(sent.body)).toBe(202);
  const deadline = Date.now() + 30_000;
  while ((await stack.api.call('GET', `/v1/messages/${sent.body.id}`)).body.status !== 'sent') {
    if (Date.now() > deadline) throw new Error('the newsletter was not sent');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  noScript = await browser.newContext({ javaScriptEnabled: false });
  page = await noScript.newPage();
  await signInToConsole(page, stack.web.url, stack.admin, '/admin/templates');
}, 120_000);

afterAll(async () => {
  await noScript?.close();
  await browser?.close();
  await stack?.stop();
});

describe('the templates page', () => {
  it('lists translations, warns of a language contacts read that templates lack, and counts fallbacks', async () => {
    expect(new URL(page.url()).pathname).toBe('/admin/templates');
    expect(await page.locator('h1').textContent()).toBe('Templates');
    const newsletterRow = page.getByRole('row', { name: /^newsletter/ });
    for (const language of ['German (de)', 'French (fr)', 'Spanish (es)', 'Japanese (ja)']) {
      await expect.poll(() => newsletterRow.getByRole('link', { name: language }).count()).toBe(1);
    }
    const warnings = page.getByRole('region', { name: 'Languages your contacts read that templates lack' });
    const warning = await warnings.textContent();
    expect(warning).toContain('2 contacts read Portuguese (pt)');
    expect(warning).toContain('Newsletter');
    const fallbacks = await page.getByRole('region', { name: 'Fallbacks' }).textContent();
    expect(fallbacks).toContain('Brazilian Portuguese (pt-BR)');
    expect(fallbacks).toContain('no translation');
    await inspectPage(page, 'admin-templates');
  });

  it('previews each translation in its language, footer included', async () => {
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page
        .getByRole('row', { name: /^newsletter/ })
        .getByRole('link', { name: 'German (de)' })
        .click(),
    ]);
    expect(new URL(page.url()).search).toBe('?locale=de');
    const frame = page.frameLocator('iframe[title="Email preview, desktop width"]');
    await expect.poll(() => frame.locator('body').textContent()).toContain('Weiterlesen');
    expect(await frame.locator('body').textContent()).toContain('E-Mail-Einstellungen verwalten');
    await inspectPage(page, 'admin-template-preview');

    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.getByRole('navigation', { name: 'Languages' }).getByRole('link', { name: 'Default' }).click(),
    ]);
    expect(await frame.locator('body').textContent()).toContain('Read more');
  });

  it('answers an unknown template or translation with the not-found page', async () => {
    for (const path of ['/admin/templates/no-such-template', '/admin/templates/newsletter?locale=pt']) {
      const response = await page.goto(`${stack.web.url}${path}`);
      expect(response?.status(), path).toBe(404);
    }
  });
});
