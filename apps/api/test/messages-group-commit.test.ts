import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '@herald/db';
import Bull from 'bull';
import { randomBytes, randomUUID } from 'node:crypto';
import { startHarness, uniqueEmail, type Harness } from './support/harness.js';

/**
 * Group commit of POST /v1/messages (decision 015): single sends that arrive together are stored in
 * one transaction (store-messages.ts), yet each request keeps its own answer. Without a worker, so
 * the messages stay queued and the transactions counted are the API's.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const DATA = { title: 'Maintenance', body: 'Read-only for 20 minutes.' };
const send = (to: Record<string, string>, idempotencyKey?: string) =>
  h.request('POST', '/v1/messages', {
    template: 'service-notice',
    to,
    data: DATA,
    ...(idempotencyKey && { idempotencyKey }),
  });

describe('POST /v1/messages, many at once', () => {
  it('stores sends that arrive together in fewer transactions than sends, each with its own contact and job', async () => {
    // Warm the template cache, so the count below is the sends' alone.
    expect((await send({ email: uniqueEmail('warm') })).status).toBe(202);
    const emails = Array.from({ length: 200 }, () => uniqueEmail('group'));
    const responses = await Promise.all(emails.map((email) => send({ email })));

    for (const response of responses) expect(response.status, JSON.stringify(response.body)).toBe(202);
    const ids = responses.map((response) => response.body.id as string);
    expect(new Set(ids).size).toBe(200);
    const stored = await h.db.message.findMany({
      where: { id: { in: ids } },
      select: { id: true, status: true, contact: { select: { email: true } } },
    });
    expect(stored).toHaveLength(200);
    // Each answer is the message to its own request's address.
    const emailOf = new Map(stored.map((m) => [m.id, m.contact.email]));
    responses.forEach((response, i) => expect(emailOf.get(response.body.id)).toBe(emails[i]));
    // Rows written by one transaction share its id (xmin): one transaction per send before, now
    // one per group of the sends that arrived while others were being stored.
    const [{ transactions } = { transactions: -1 }] = await h.db.$queryRaw<{ transactions: number }[]>(
      Prisma.sql`SELECT count(DISTINCT xmin::text)::int AS transactions FROM messages WHERE id = ANY(${ids}::uuid[])`,
    );
    expect(transactions).toBeGreaterThan(0);
    expect(transactions).toBeLessThan(100);
    // And each went to the delivery queue, as its job (the job id is the message id).
    const queue = new Bull('delivery', h.env.REDIS_URL as string, { prefix: h.env.HERALD_QUEUE_PREFIX });
    try {
      const jobs = await Promise.all(ids.map((id) => queue.getJob(id)));
      expect(ids.filter((_, i) => !jobs[i])).toEqual([]);
    } finally {
      await queue.close();
    }
  });

  it('answers each request for itself: a replay, a reused key and an unknown contact arriving with good sends', async () => {
    const key = `group-${randomBytes(6).toString('hex')}`;
    const first = uniqueEmail('keyed');
    const a = await send({ email: first }, key);
    const requests = [
      send({ email: first }, key), // the same send again: the same message
      send({ email: uniqueEmail('other') }, key), // the key for another recipient: refused
      send({ contactId: randomUUID() }), // no such contact: refused
      ...Array.from({ length: 20 }, () => send({ email: uniqueEmail('fine') })),
    ];
    const [b, reused, unknown, ...fine] = await Promise.all(requests);
    expect(a.status, JSON.stringify(a.body)).toBe(202);
    expect(b?.status, JSON.stringify(b?.body)).toBe(202);
    expect(b?.body.id).toBe(a.body.id);
    expect(reused?.status).toBe(409);
    expect(reused?.body.error.code).toBe('idempotency_key_reused');
    expect(unknown?.status).toBe(422);
    expect(unknown?.body.error.code).toBe('unknown_contact');
    for (const response of fine) expect(response.status).toBe(202);
    expect(await h.db.message.count({ where: { idempotencyKey: key } })).toBe(1);
    expect(await h.db.message.count({ where: { id: { in: fine.map((r) => r.body.id as string) } } })).toBe(
      20,
    );
  });
});
