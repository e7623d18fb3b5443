import type { Db } from '@herald/db';
import { signToken, parseSigningKeys } from '@herald/preferences';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, consentLog, createContact, preferenceRows, tokenFor } from './support/fixtures.js';
import { startWebServer, type WebServer } from '@herald/test-support';

/** RFC 8058 one-click (`POST /u/:token`) against the built server, as issue 3 lists its cases. */
let web: WebServer;
let db: Db;
const FAILURE_LIMIT = 3;

beforeAll(async () => {
  db = connect();
  web = await startWebServer({ TOKEN_FAILURE_RATE_LIMIT: String(FAILURE_LIMIT) });
});
afterAll(async () => {
  await web?.stop();
  await db?.$disconnect();
});

/** Each case gets its own client address so failure counts never leak between cases. */
let lastClient = 0;
const newClientIp = () => `198.51.100.${++lastClient}`;

function oneClick(token: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}) {
  return fetch(`${web.url}/u/${token}`, {
    method: 'POST',
    redirect: 'manual',
    body: init.body ?? new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
    headers: { 'user-agent': 'MailProvider-OneClick/1.0', ...init.headers },
  });
}

describe('POST /u/:token', () => {
  it('unsubscribes with an application/x-www-form-urlencoded body and logs source one-click with the message id', async () => {
    const contact = await createContact(db);
    const messageId = randomUUID();
    const sentAt = Date.now();
    const response = await oneClick(tokenFor(web, contact.id, undefined, messageId));

    expect(response.status).toBe(200);
    expect(response.headers.get('location')).toBeNull();
    const body = await response.text();
    expect(body.length).toBeLessThan(100);
    expect(body).toMatch(/unsubscribed/i);

    expect(await preferenceRows(db, contact.id)).toMatchObject([
      { categoryKey: 'newsletter', subscribed: false },
    ]);
    const log = await consentLog(db, contact.id);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      categoryKey: 'newsletter',
      action: 'unsubscribe',
      source: 'one_click',
      messageId,
      userAgent: 'MailProvider-OneClick/1.0',
    });
    expect(log[0]?.ipHash).toMatch(/^[0-9a-f]{64}$/);
    // When the request reached the server: the conformance report measures from it to the row.
    const requestedAt = log[0]!.requestedAt!.getTime();
    expect(requestedAt).toBeGreaterThanOrEqual(sentAt - 5);
    expect(requestedAt).toBeLessThanOrEqual(log[0]!.occurredAt.getTime() + 5);
  });

  it('unsubscribes with a multipart/form-data body', async () => {
    const contact = await createContact(db);
    const form = new FormData();
    form.append('List-Unsubscribe', 'One-Click');
    const response = await oneClick(tokenFor(web, contact.id), { body: form });

    expect(response.status).toBe(200);
    expect((await consentLog(db, contact.id)).map((row) => [row.categoryKey, row.source])).toEqual([
      ['newsletter', 'one_click'],
    ]);
  });

  it('answers a url-encoded body (in Express) and a multipart one (in Remix) alike, in the language asked for', async () => {
    const answers = [];
    for (const multipart of [false, true]) {
      const contact = await createContact(db);
      const form = new FormData();
      form.append('List-Unsubscribe', 'One-Click');
      const headers = { 'accept-language': 'de-AT,de;q=0.9' };
      const done = await oneClick(
        tokenFor(web, contact.id),
        multipart ? { body: form, headers } : { headers },
      );
      const badBody = await oneClick(tokenFor(web, contact.id), {
        body: new URLSearchParams({ 'List-Unsubscribe': 'Something-Else' }),
        headers,
      });
      const badToken = await oneClick('not-a-token', multipart ? { body: form, headers } : { headers });
      answers.push(
        await Promise.all(
          [done, badBody, badToken].map(async (response) => ({
            status: response.status,
            body: await response.text(),
            headers: Object.fromEntries(
              ['content-type', 'content-length', 'content-language', 'vary', 'cache-control'].map((name) => [
                name,
                response.headers.get(name),
              ]),
            ),
          })),
        ),
      );
    }
    const [express, remix] = answers;
    expect(express?.map((answer) => answer.status)).toEqual([200, 400, 400]);
    expect(express?.[0]?.headers).toMatchObject({ 'content-language': 'de', 'cache-control': 'no-store' });
    expect(express?.[0]?.body).toBe('Sie sind abgemeldet.\n');
    expect(remix).toEqual(express);
  });

  it('is idempotent: repeated and simultaneous POSTs all answer 200 and log once', async () => {
    const contact = await createContact(db);
    const token = tokenFor(web, contact.id);
    const simultaneous = await Promise.all(Array.from({ length: 5 }, () => oneClick(token)));
    const again = await oneClick(token);

    expect([...simultaneous, again].map((response) => response.status)).toEqual([
      200, 200, 200, 200, 200, 200,
    ]);
    expect(await consentLog(db, contact.id)).toHaveLength(1);
  });

  it('needs no cookie and accepts a foreign Origin (mail providers post cross-site)', async () => {
    const contact = await createContact(db);
    const response = await oneClick(tokenFor(web, contact.id), {
      headers: { origin: 'https://mail.provider.example', 'sec-fetch-site': 'cross-site' },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await consentLog(db, contact.id)).toHaveLength(1);
  });

  it('unsubscribes from all marketing with an all-promotional token', async () => {
    const contact = await createContact(db);
    const response = await oneClick(tokenFor(web, contact.id, { kind: 'all-promotional' }));

    expect(response.status).toBe(200);
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).promotionalOptOut).toBe(true);
    expect((await consentLog(db, contact.id)).map((row) => row.categoryKey)).toEqual([null]);
  });

  it('changes only its own contact and category', async () => {
    const [mine, theirs] = [await createContact(db), await createContact(db)];
    expect((await oneClick(tokenFor(web, mine.id))).status).toBe(200);

    expect((await preferenceRows(db, mine.id)).map((row) => row.categoryKey)).toEqual(['newsletter']);
    expect((await db.contact.findUniqueOrThrow({ where: { id: mine.id } })).promotionalOptOut).toBe(false);
    expect(await preferenceRows(db, theirs.id)).toEqual([]);
    expect(await consentLog(db, theirs.id)).toEqual([]);
  });

  it('refuses a POST without the List-Unsubscribe=One-Click body and changes nothing', async () => {
    const contact = await createContact(db);
    const token = tokenFor(web, contact.id);
    const empty = await oneClick(token, { body: new URLSearchParams({}) });
    const json = await oneClick(token, { body: '{}', headers: { 'content-type': 'application/json' } });

    expect([empty.status, json.status]).toEqual([400, 400]);
    expect(await consentLog(db, contact.id)).toEqual([]);
  });

  it('answers 400 to tampered, truncated, foreign-key and garbage tokens and changes nothing', async () => {
    const contact = await createContact(db);
    const token = tokenFor(web, contact.id);
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    const foreignKeys = parseSigningKeys(`w1:${randomBytes(32).toString('base64url')}`);
    const bad = [
      `${token.slice(0, -2)}${last}${token.at(-1)}`,
      token.slice(0, -6),
      signToken(
        { contactId: contact.id, scope: { kind: 'category', categoryKey: 'newsletter' }, tokenEpoch: 0 },
        foreignKeys,
      ),
      'not-a-token',
    ];
    for (const badToken of bad) {
      const response = await oneClick(badToken, { headers: { 'x-forwarded-for': newClientIp() } });
      expect(response.status, badToken).toBe(400);
      const text = await response.text();
      expect(text).not.toContain(contact.id);
      expect(text).not.toContain(contact.email ?? '@');
    }
    expect(await consentLog(db, contact.id)).toEqual([]);
    expect(await preferenceRows(db, contact.id)).toEqual([]);
  });

  it('rate-limits failing verifications per client address, never valid ones', async () => {
    const ip = newClientIp();
    const statuses: number[] = [];
    for (let i = 0; i <= FAILURE_LIMIT; i++) {
      statuses.push((await oneClick(`bad-${i}`, { headers: { 'x-forwarded-for': ip } })).status);
    }
    expect(statuses).toEqual([...Array(FAILURE_LIMIT).fill(400), 429]);

    const contact = await createContact(db);
    const valid = await oneClick(tokenFor(web, contact.id), { headers: { 'x-forwarded-for': ip } });
    expect(valid.status).toBe(200);
    expect(await consentLog(db, contact.id)).toHaveLength(1);

    const otherClient = await oneClick('bad-token', { headers: { 'x-forwarded-for': '192.0.2.77' } });
    expect(otherClient.status).toBe(400);
  });
});

describe('GET /u/:token', () => {
  it.each([
    ['a search crawler', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
    ['Microsoft Safe Links', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) BingPreview/1.0b'],
  ])(
    'changes nothing when %s follows the link, and points at the confirmation page',
    async (_who, userAgent) => {
      const contact = await createContact(db);
      const token = tokenFor(web, contact.id);
      const response = await fetch(`${web.url}/u/${token}`, {
        redirect: 'manual',
        headers: { 'user-agent': userAgent },
      });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(`/unsubscribe/${token}`);

      const followed = await fetch(`${web.url}/u/${token}`, { headers: { 'user-agent': userAgent } });
      expect(followed.status).toBe(200);
      const head = await fetch(`${web.url}/u/${token}`, { method: 'HEAD', redirect: 'manual' });
      expect(head.status).toBe(303);

      expect(await consentLog(db, contact.id)).toEqual([]);
      expect(await preferenceRows(db, contact.id)).toEqual([]);
    },
  );
});
