import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiClient, startRedisServer, type RedisServer } from '@herald/test-support';
import { randomBytes } from 'node:crypto';
import { startHarness, uniqueEmail, type Harness } from './support/harness.js';

/**
 * POST /v1/messages/batch (issue 12): up to 1,000 single sends in one request, answered one result
 * per item in order, each item accepted or refused as POST /v1/messages would, stored in a few
 * statements and enqueued in one addBulk. The Redis server is this file's own, so stopping it
 * disturbs no other test.
 */
let redis: RedisServer;
let h: Harness;

beforeAll(async () => {
  redis = await startRedisServer();
  h = await startHarness({ worker: true, env: { REDIS_URL: redis.url, RECONCILE_INTERVAL_MS: '1000' } });
});

afterAll(async () => {
  await h?.close();
  await redis?.stop();
});

const DATA = { title: 'Maintenance', body: 'Read-only for 20 minutes.' };
const notice = (to: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  template: 'service-notice',
  to,
  data: DATA,
  ...extra,
});
const batch = (messages: unknown) => h.request('POST', '/v1/messages/batch', { messages });
const key = (label: string) => `${label}-${randomBytes(6).toString('hex')}`;

/** Waits until every message is sent, then checks the SMTP server received each exactly once. */
async function expectAllSent(ids: string[], timeout: number) {
  await vi.waitFor(
    async () =>
      expect(await h.db.message.count({ where: { id: { in: ids }, status: 'sent' } })).toBe(ids.length),
    { timeout, interval: 200 },
  );
  for (const id of ids) expect(h.catcher.received.get(id)).toBe(1);
}

describe('POST /v1/messages/batch', () => {
  it('accepts 1,000 messages in one request, creates their contacts without marketing consent, and sends them all', async () => {
    const emails = Array.from({ length: 1000 }, () => uniqueEmail('batch'));
    const response = await batch(emails.map((email) => notice({ email })));
    expect(response.status, JSON.stringify(response.body).slice(0, 500)).toBe(200);
    const results = response.body.results as { id: string; status: string }[];
    expect(results).toHaveLength(1000);
    for (const result of results) expect(result).toEqual({ id: expect.any(String), status: 'queued' });
    const ids = results.map((result) => result.id);
    expect(new Set(ids).size).toBe(1000);

    // In order: each result is the message to that item's address.
    const messages = await h.db.message.findMany({
      where: { id: { in: ids } },
      select: { id: true, contact: { select: { email: true, promotionalDefaults: true } } },
    });
    const byId = new Map(messages.map((m) => [m.id, m.contact]));
    expect(ids.map((id) => byId.get(id)?.email)).toEqual(emails);
    expect(messages.every((m) => m.contact.promotionalDefaults === false)).toBe(true);

    await expectAllSent(ids, 150_000);
  }, 180_000);

  it('answers a mix of good and bad items one by one, in order, as single sends would, and stores only the good ones', async () => {
    const existing = await h.request('POST', '/v1/contacts', { email: uniqueEmail('known') });
    expect(existing.status).toBeLessThan(300);
    const contactId = existing.body.id as string;
    const good = uniqueEmail('good');
    const badEmails = Array.from({ length: 5 }, () => uniqueEmail('bad'));
    const bad = (i: number) => ({ email: badEmails[i] as string });
    const items: unknown[] = [
      notice({ email: good }),
      { to: bad(0), data: DATA }, // no template
      notice(bad(1), { template: 'no-such-template' }),
      notice({ contactId: '00000000-0000-7000-8000-000000000000' }),
      notice(bad(2), { data: { title: 'Only a title' } }), // a variable missing
      notice(bad(3), { data: { ...DATA, body: 'x'.repeat(10_001) } }), // too large
      notice(bad(4), { unknownField: true }),
      'not an object',
      notice({ contactId }),
    ];
    const response = await batch(items);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const results = response.body.results as Record<string, unknown>[];
    expect(results).toHaveLength(items.length);

    // Each bad item's error is exactly what POST /v1/messages answers it with (a bare string is not a
    // body a single send can receive: strict JSON refuses it before any handler).
    for (const [index, item] of items.entries()) {
      if (index === 0 || index === items.length - 1 || typeof item === 'string') continue;
      const single = await h.request('POST', '/v1/messages', item);
      expect(single.status, JSON.stringify(single.body)).toBeGreaterThanOrEqual(400);
      expect(single.status).toBeLessThan(500);
      expect(results[index], `item ${index}`).toEqual(single.body);
    }
    expect(results[7]).toEqual({
      error: {
        code: 'invalid_request',
        message: 'Invalid request body: Invalid input: expected object, received string',
        details: [{ path: '', message: 'Invalid input: expected object, received string' }],
      },
    });
    expect(results.slice(1, -1).map((r) => (r.error as { code: string }).code)).toEqual([
      'invalid_request',
      'unknown_template',
      'unknown_contact',
      'invalid_template_data',
      'invalid_request',
      'invalid_request',
      'invalid_request',
    ]);

    // Only the good ones exist: their messages, and the contact of the new address; no bad address.
    const first = results[0] as { id: string; status: string };
    const last = results.at(-1) as { id: string; status: string };
    expect(first).toEqual({ id: expect.any(String), status: 'queued' });
    expect(last).toEqual({ id: expect.any(String), status: 'queued' });
    const stored = await h.db.message.findMany({
      where: { id: { in: [first.id, last.id] } },
      select: { id: true, contactId: true, contact: { select: { email: true } } },
    });
    expect(new Map(stored.map((m) => [m.id, m.contact.email]))).toEqual(
      new Map([
        [first.id, good],
        [last.id, existing.body.email],
      ]),
    );
    expect(await h.db.contact.count({ where: { email: { in: badEmails } } })).toBe(0);
    await expectAllSent([first.id, last.id], 20_000);
  }, 60_000);

  it('keeps idempotency keys within one batch, across batches and with single sends', async () => {
    const [a, b, c] = [uniqueEmail('idem-a'), uniqueEmail('idem-b'), uniqueEmail('idem-c')];
    const [k1, k2, k3, k4] = [key('k1'), key('k2'), key('k3'), key('k4')];
    const first = await batch([
      notice({ email: a }, { idempotencyKey: k1 }),
      notice({ email: b }, { idempotencyKey: k2 }),
      notice({ email: a }, { idempotencyKey: k1 }), // the same key twice in one batch: one message
      notice({ email: c }, { idempotencyKey: k1 }), // the same key for another recipient
      notice({ email: c }, { idempotencyKey: k3, template: 'no-such-template' }), // a bad first use of k3…
      notice({ email: c }, { idempotencyKey: k3 }), // …leaves the key to the next item that has it
    ]);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const [r0, r1, r2, r3, r4, r5] = first.body.results;
    expect(r0).toEqual({ id: expect.any(String), status: 'queued' });
    expect(r1).toEqual({ id: expect.any(String), status: 'queued' });
    expect(r2).toEqual(r0);
    expect(r3.error.code).toBe('idempotency_key_reused');
    expect(r4.error.code).toBe('unknown_template');
    expect(r5).toEqual({ id: expect.any(String), status: 'queued' });
    expect(new Set([r0.id, r1.id, r5.id]).size).toBe(3);

    const single = await h.request('POST', '/v1/messages', notice({ email: a }, { idempotencyKey: k1 }));
    expect(single.status).toBe(202);
    expect(single.body.id).toBe(r0.id);
    const singleReused = await h.request(
      'POST',
      '/v1/messages',
      notice({ email: c }, { idempotencyKey: k1 }),
    );
    expect(r3).toEqual(singleReused.body);

    const second = await batch([
      notice({ email: b }, { idempotencyKey: k2 }),
      notice({ email: a }, { idempotencyKey: k1 }),
      notice({ email: a }, { idempotencyKey: k2 }), // k2 named b's message
      notice({ email: c }, { idempotencyKey: k4 }),
    ]);
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    const [s0, s1, s2, s3] = second.body.results;
    expect(s0.id).toBe(r1.id);
    expect(s1.id).toBe(r0.id);
    expect(s2.error.code).toBe('idempotency_key_reused');
    expect(s3).toEqual({ id: expect.any(String), status: 'queued' });

    // A key sent first alone, then in a batch, names the single send's message.
    const k5 = key('k5');
    const alone = await h.request('POST', '/v1/messages', notice({ email: c }, { idempotencyKey: k5 }));
    expect(alone.status).toBe(202);
    const third = await batch([notice({ email: c }, { idempotencyKey: k5 })]);
    expect(third.body.results[0].id).toBe(alone.body.id);

    for (const k of [k1, k2, k3, k4, k5]) {
      expect(await h.db.message.count({ where: { idempotencyKey: k } }), k).toBe(1);
    }
    await expectAllSent([r0.id, r1.id, r5.id, s3.id, alone.body.id], 20_000);
  }, 60_000);

  it('refuses the whole request with 400 for more than 1,000 items or a body that is not { messages: [...] }', async () => {
    const before = await h.db.message.count();
    const tooMany = await batch(Array.from({ length: 1001 }, () => notice({ email: uniqueEmail('many') })));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toMatchObject({ code: 'invalid_request', details: [{ path: 'messages' }] });
    expect(tooMany.body.error.message).toContain('messages');

    for (const body of [
      [notice({ email: uniqueEmail('shape') })],
      { messages: notice({ email: uniqueEmail('shape') }) },
      { messages: [] },
      { messages: [notice({ email: uniqueEmail('shape') })], extra: 1 },
      {},
    ]) {
      const response = await h.request('POST', '/v1/messages/batch', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.code).toBe('invalid_request');
    }
    expect(await h.db.message.count()).toBe(before);
  });

  it('takes a batch larger than the general body limit, up to a limit of its own', async () => {
    const body = 'A paragraph of the notice. '.repeat(40);
    const items = Array.from({ length: 300 }, () =>
      notice({ email: uniqueEmail('large') }, { data: { ...DATA, body } }),
    );
    // More than HERALD_MAX_BODY_BYTES (256 KiB), which still bounds every other request.
    expect(JSON.stringify({ messages: items }).length).toBeGreaterThan(256 * 1024);
    const response = await batch(items);
    expect(response.status, JSON.stringify(response.body).slice(0, 500)).toBe(200);
    expect(response.body.results.every((r: { status?: string }) => r.status === 'queued')).toBe(true);

    const single = await h.request(
      'POST',
      '/v1/messages',
      notice({ email: uniqueEmail('large') }, { data: { ...DATA, padding: 'x'.repeat(300 * 1024) } }),
    );
    expect(single.status).toBe(413);
    expect(single.body.error.code).toBe('payload_too_large');

    // Beyond HERALD_MAX_BATCH_BODY_BYTES (4 MiB): refused whole, before it is read further.
    const before = await h.db.message.count();
    const huge = await batch(
      Array.from({ length: 1000 }, () =>
        notice({ email: uniqueEmail('huge') }, { data: { ...DATA, body: 'x'.repeat(5000) } }),
      ),
    );
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
    expect(await h.db.message.count()).toBe(before);
  }, 60_000);

  it('is refused to the web app key (sign-in:send), even for its own mails', async () => {
    const contact = await h.request('POST', '/v1/contacts', { email: uniqueEmail('web') });
    const web = createApiClient(h.url, h.env.HERALD_WEB_API_KEY ?? '');
    const before = await h.db.message.count();
    const response = await web.call('POST', '/v1/messages/batch', {
      messages: [
        {
          template: 'security-sign-in',
          to: { contactId: contact.body.id },
          data: { signInUrl: `${h.env.PUBLIC_WEB_URL}/account/sign-in/abc`, expiresInMinutes: 15 },
        },
      ],
    });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('forbidden');
    expect(await h.db.message.count()).toBe(before);
  });

  it('answers while Redis is down, and the reconciler sends the messages once it is back', async () => {
    await redis.stop();
    let ids: string[];
    try {
      const response = await batch([
        notice({ email: uniqueEmail('redis-down') }),
        notice({ email: uniqueEmail('redis-down') }),
      ]);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      ids = (response.body.results as { id: string; status: string }[]).map((r) => r.id);
      expect(response.body.results).toEqual(ids.map((id) => ({ id, status: 'queued' })));
      expect(await h.db.message.count({ where: { id: { in: ids }, status: 'queued' } })).toBe(2);
    } finally {
      await redis.start();
    }
    await expectAllSent(ids, 30_000);
  }, 60_000);

  it('is in the OpenAPI document with its scope and the single send as its item', async () => {
    const docs = await h.request('GET', '/docs');
    const route = docs.body.paths['/v1/messages/batch'].post;
    expect(route['x-herald-scope']).toBe('messages:send');
    const schema = route.requestBody.content['application/json'].schema;
    expect(schema.properties.messages.maxItems).toBe(1000);
    expect(Object.keys(schema.properties.messages.items.properties)).toEqual([
      'template',
      'to',
      'data',
      'idempotencyKey',
    ]);
  });
});
