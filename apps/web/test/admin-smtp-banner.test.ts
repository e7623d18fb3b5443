import {
  startTestSmtpServer,
  startWebServer,
  type TestSmtpServer,
  type WebServer,
} from '@herald/test-support';
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reloadUntil, signInToConsole } from './support/admin-pages.js';
import { startConsoleStack, type ConsoleStack } from './support/admin-stack.js';
import { inspectPage, launchChromium } from './support/browser.js';

/**
 * The console's outage banner against the built API, worker and web app: the worker's SMTP circuit
 * breaker opens at the first refused connection and tests the relay every 300 ms, so the banner
 * shows while the SMTP server refuses connections and goes once it answers, and the message held
 * meanwhile is sent once. A console whose API does not answer /health shows its pages without it.
 */
let stack: ConsoleStack;
let browser: Browser;
/** The promotional stream's own relay (PROMOTIONAL_SMTP_URL): its outage has a banner of its own. */
let promotionalRelay: TestSmtpServer;

beforeAll(async () => {
  promotionalRelay = await startTestSmtpServer();
  [stack, browser] = await Promise.all([
    startConsoleStack({
      SMTP_BREAKER_THRESHOLD: '1',
      SMTP_BREAKER_PROBE_MS: '300',
      PROMOTIONAL_SMTP_URL: promotionalRelay.smtpUrl,
    }),
    launchChromium(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await promotionalRelay?.close();
});

const BANNER = 'The SMTP relay has refused connections since';
/** A console page whose own loader does not call the API, so only the banner's /health read does. */
const NO_API_PAGE = '/admin/policies/new';

/** A page without JavaScript, signed in to the console at `path` of the web server at `baseUrl`. */
async function consolePage(baseUrl: string, path: string): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signInToConsole(page, baseUrl, stack.admin, path);
  return page;
}

const banner = (page: Page) => page.getByRole('alert').filter({ hasText: BANNER });

/** What an operator reads on a console page: its heading, and the banner's text if any. */
async function readConsole(page: Page) {
  const shown = await banner(page).count();
  return {
    heading: await page.locator('h1').textContent(),
    banner: shown === 0 ? null : await banner(page).textContent(),
  };
}

describe('the SMTP outage banner', () => {
  it('shows since when the relay has refused connections, and goes once it answers and the held mail is sent', async () => {
    const page = await consolePage(stack.web.url, '/admin/campaigns');
    expect(await readConsole(page)).toEqual({ heading: 'Campaigns', banner: null });

    const refusedFrom = Date.now();
    await stack.catcher.refuseConnections();
    const sent = await stack.api.call('POST', '/v1/messages', {
      template: 'service-notice',
      to: { email: `held-${randomBytes(4).toString('hex')}@example.test` },
      data: { title: 'Maintenance', body: 'Read-only for 20 minutes.' },
    });
    expect(sent.status).toBe(202);
    const id: string = sent.body.id;

    await reloadUntil(
      page,
      () => banner(page).count(),
      (count) => count === 1,
      20_000,
    );
    const since = await banner(page).locator('time').getAttribute('datetime');
    const sinceMs = Date.parse(since ?? '');
    expect(sinceMs).toBeGreaterThanOrEqual(refusedFrom - 1000);
    expect(sinceMs).toBeLessThanOrEqual(Date.now());
    // In UTC with the zone named, as every instant in the console, to the minute of `datetime`.
    const shownAs = `${new Intl.DateTimeFormat('en-GB', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'UTC',
    }).format(new Date(sinceMs))} UTC`;
    expect((await banner(page).textContent())?.replace(/\s+/g, ' ')).toBe(
      `${BANNER} ${shownAs}; mail is held and will be sent when it answers.`,
    );
    expect(await page.locator('h1').textContent()).toBe('Campaigns');
    await inspectPage(page, 'admin-smtp-outage-banner');

    // Held, not failed: the message waits for the relay without using its attempts.
    const held = await stack.api.call('GET', `/v1/messages/${id}`);
    expect(held.body).toMatchObject({ status: 'queued', reason: expect.stringMatching(/^smtp unavailable/) });
    expect(held.body.events.map((event: { type: string }) => event.type)).not.toContain('failed');
    expect(stack.catcher.received.get(id)).toBeUndefined();

    await stack.catcher.acceptConnections();
    expect(
      await reloadUntil(
        page,
        () => readConsole(page),
        (seen) => seen.banner === null,
        20_000,
      ),
    ).toEqual({ heading: 'Campaigns', banner: null });
    expect(await stack.api.settled(id, 20_000)).toMatchObject({ status: 'sent' });
    expect(stack.catcher.received.get(id)).toBe(1);
  });

  it('names the promotional relay when only it refuses connections, and goes once it answers', async () => {
    const PROMOTIONAL_BANNER = 'The promotional SMTP relay has refused connections since';
    const promotionalBanner = (page: Page) => page.getByRole('alert').filter({ hasText: PROMOTIONAL_BANNER });
    const page = await consolePage(stack.web.url, '/admin/campaigns');
    expect(await promotionalBanner(page).count()).toBe(0);

    await promotionalRelay.refuseConnections();
    // A subscriber the company added (a contact created by a send would take no marketing consent).
    const email = `promo-held-${randomBytes(4).toString('hex')}@example.test`;
    expect((await stack.api.call('POST', '/v1/contacts', { email })).status).toBeLessThan(300);
    const newsletter = await stack.api.call('POST', '/v1/messages', {
      template: 'newsletter',
      to: { email },
      data: {
        headline: 'News',
        intro: 'Hello',
        articles: [{ title: 'One', summary: 'First', url: 'https://example.com/1' }],
      },
    });
    expect(newsletter.status).toBe(202);
    await reloadUntil(
      page,
      () => promotionalBanner(page).count(),
      (count) => count === 1,
      20_000,
    );
    // Only the promotional relay is down: the transactional banner stays away, and its mail goes.
    expect(await readConsole(page)).toEqual({ heading: 'Campaigns', banner: null });
    const notice = await stack.api.call('POST', '/v1/messages', {
      template: 'service-notice',
      to: { email: `tx-goes-${randomBytes(4).toString('hex')}@example.test` },
      data: { title: 'Maintenance', body: 'Read-only for 20 minutes.' },
    });
    expect(await stack.api.settled(notice.body.id, 20_000)).toMatchObject({ status: 'sent' });

    await promotionalRelay.acceptConnections();
    await reloadUntil(
      page,
      () => promotionalBanner(page).count(),
      (count) => count === 0,
      20_000,
    );
    expect(await stack.api.settled(newsletter.body.id, 20_000)).toMatchObject({ status: 'sent' });
    expect(promotionalRelay.received.get(newsletter.body.id)).toBe(1);
  });

  it('shows the page without a banner when /health never answers', async () => {
    const sockets = new Set<Socket>();
    let connections = 0;
    const silent: Server = createServer((socket) => {
      // Accepts the connection and never answers, as a hung API does.
      connections += 1;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    // The same installation on a port of its own, but asking the silent server for /health.
    const env = Object.fromEntries(
      Object.entries(stack.web.env).filter(([name]) => name !== 'WEB_PORT' && name !== 'PUBLIC_WEB_URL'),
    );
    let web: WebServer | undefined;
    try {
      web = await startWebServer({
        ...env,
        HERALD_API_URL: `http://127.0.0.1:${address.port}`,
        HERALD_API_READ_TIMEOUT_MS: '1000',
      });
      // The new-version form needs nothing else from the API: only the banner asks it anything.
      const page = await consolePage(web.url, NO_API_PAGE);
      expect(connections).toBeGreaterThan(0);
      expect(await readConsole(page)).toEqual({ heading: 'New policy version', banner: null });
      expect(await page.getByRole('link', { name: 'Campaigns' }).count()).toBe(1);
      // A page that must read from the API gives up after HERALD_API_READ_TIMEOUT_MS and says so.
      const list = await page.goto(`${web.url}/admin/campaigns`);
      expect(list?.status()).toBe(503);
      expect(await page.locator('h1').textContent()).toBe('Not answering right now');
    } finally {
      await web?.stop();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('shows the page without a banner when the API is stopped', async () => {
    await Promise.all(stack.herald.apis.map((api) => api.stop()));
    const page = await consolePage(stack.web.url, NO_API_PAGE);
    expect(await readConsole(page)).toEqual({ heading: 'New policy version', banner: null });
  });
});
