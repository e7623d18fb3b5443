import type { Db } from '@herald/db';
import { startWebServer, type WebServer } from '@herald/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactPath } from '../server/log-requests.js';
import { connect, createContact, tokenFor } from './support/fixtures.js';

/**
 * LOG_FORMAT=json: `server.js` writes one JSON line per request, with the token of every link path
 * and any address in the path redacted, and nothing of the query string.
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let db: Db;
let web: WebServer;
beforeAll(async () => {
  db = connect();
  web = await startWebServer({ LOG_FORMAT: 'json' });
});
afterAll(async () => {
  await web?.stop();
  await db?.$disconnect();
});

describe('the web request log', () => {
  it('writes a JSON line per request with the link tokens redacted', async () => {
    const contact = await createContact(db);
    const token = tokenFor(web, contact.id);
    const oneClick = await fetch(`${web.url}/u/${token}`, {
      method: 'POST',
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
    });
    expect(oneClick.status).toBe(200);
    await fetch(`${web.url}/preferences/${token}?ref=${token}`);
    await fetch(`${web.url}/account/sign-in/${token}`, { redirect: 'manual' });

    const deadline = Date.now() + 10_000;
    let lines: Record<string, unknown>[] = [];
    for (;;) {
      lines = web
        .output()
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => {
          try {
            return JSON.parse(line) as Record<string, unknown>;
          } catch {
            throw new Error(`not a JSON line: ${line}`);
          }
        });
      if (lines.some((line) => line.route === '/account/sign-in/:token')) break;
      if (Date.now() > deadline) throw new Error(`no request lines:\n${web.output()}`);
      await sleep(50);
    }
    expect(lines.find((line) => line.route === '/u/:token')).toMatchObject({
      level: 'info',
      process: 'web',
      context: 'HTTP',
      method: 'POST',
      status: 200,
    });
    expect(lines.find((line) => line.route === '/preferences/:token')).toMatchObject({ method: 'GET' });
    expect(web.output()).not.toContain(token);
    expect(web.output()).not.toContain(contact.email);
  });

  it('redacts the token after each link prefix and any address segment, and leaves other paths alone', () => {
    expect(redactPath('/unsubscribe/abc.def-1')).toBe('/unsubscribe/:token');
    expect(redactPath('/u/abc')).toBe('/u/:token');
    // A tracked link's token names a message and its target.
    expect(redactPath('/c/EQJrMZ-kgBVwM0UA')).toBe('/c/:token');
    expect(redactPath('/campaigns/x')).toBe('/campaigns/x');
    expect(redactPath('/admin/suppressions/pat%40example.test')).toBe('/admin/suppressions/[email]');
    expect(redactPath('/admin/campaigns/123')).toBe('/admin/campaigns/123');
    expect(redactPath('/user/abc')).toBe('/user/abc');
  });
});
