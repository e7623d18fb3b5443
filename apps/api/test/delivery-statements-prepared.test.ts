import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type Db } from '@herald/db';
import { randomUUID } from 'node:crypto';
import { createDeliveryStore } from '../src/delivery/delivery-store.js';
import { startHarness, uniqueEmail, type Harness } from './support/harness.js';

/**
 * The statements every delivery runs (claim, state read, suppressions, send stamp, outcome) are
 * prepared once per connection (docs/decisions/027-named-statements.md). Here on a client of one
 * connection that uses only generic plans, the plans PostgreSQL may keep for them: a delivery's
 * steps still answer as they must, and each statement is prepared once, however many batches run.
 */
let h: Harness;
let db: Db;

beforeAll(async () => {
  h = await startHarness();
  db = createPrismaClient({ databaseUrl: h.env.DATABASE_URL ?? '', maxConnections: 1 });
  await db.$executeRawUnsafe(`SET plan_cache_mode = force_generic_plan`);
}, 60_000);

afterAll(async () => {
  await db?.$disconnect();
  await h?.close();
});

const send = async (email = uniqueEmail('prepared')) => {
  const response = await h.request('POST', '/v1/messages', {
    template: 'service-notice',
    to: { email },
    data: { title: 'Maintenance', body: 'Read-only for 20 minutes.' },
  });
  expect(response.status).toBe(202);
  return response.body.id as string;
};

describe('the delivery statements', () => {
  it('answer under generic plans, and are each prepared once on a connection', async () => {
    const workerId = randomUUID();
    await db.$executeRaw`
      INSERT INTO worker_leases (id, host, pid, expires_at)
      VALUES (${workerId}::uuid, 'this-test', 1, now() + interval '1 hour')`;
    const store = createDeliveryStore(db, { workerId, staleClaimMs: 60 * 60 * 1000 });
    const suppressed = uniqueEmail('prepared-suppressed');
    expect(
      (await h.request('POST', '/v1/suppressions', { email: suppressed, reason: 'manual' })).status,
    ).toBe(201);

    // More rounds than PostgreSQL's five custom plans, with batches of one and of three.
    for (let round = 0; round < 7; round++) {
      const ids = round % 2 === 0 ? [await send()] : [await send(), await send(), await send(suppressed)];
      const done = store.track(ids);
      try {
        const claims = await Promise.all(ids.map((id) => store.claim(id)));
        expect(claims.map((claim) => claim?.messageId)).toEqual(ids);
        const starts = await Promise.all(claims.map((claim) => store.startSending(claim as never)));
        const expected = ids.length === 1 ? ['start'] : ['start', 'start', 'blocked'];
        expect(starts.map((start) => start.outcome)).toEqual(expected);
        expect(starts.at(-1)).toMatchObject(
          ids.length === 1 ? { outcome: 'start' } : { outcome: 'blocked', reason: 'manual' },
        );
        const recorded = await Promise.all(
          ids.map((messageId, i) =>
            store.record(
              starts[i]?.outcome === 'start'
                ? { messageId, status: 'sent', event: 'sent', smtpMessageId: `<${messageId}@test>` }
                : { messageId, status: 'suppressed', event: 'suppressed', reason: 'suppressed' },
            ),
          ),
        );
        expect(recorded).toEqual(ids.map(() => true));
        // Recorded once: a second record of the same claim finds it gone.
        expect(await store.record({ messageId: ids[0] as string, status: 'sent', event: 'sent' })).toBe(
          false,
        );
      } finally {
        done();
      }
      const statuses = await h.db.message.findMany({
        where: { id: { in: ids } },
        select: { id: true, status: true },
      });
      expect(new Map(statuses.map((m) => [m.id, m.status]))).toEqual(
        new Map(ids.map((id, i) => [id, ids.length === 3 && i === 2 ? 'suppressed' : 'sent'])),
      );
    }

    const prepared = await db.$queryRaw<{ statement: string; generic_plans: bigint }[]>`
      SELECT statement, generic_plans FROM pg_prepared_statements`;
    const named = (marker: string) => prepared.filter((row) => row.statement.includes(marker));
    for (const marker of [
      "SET status = 'sending', claimed_at = now()",
      'WITH ORDINALITY AS r(contact_id, category_key, message_id, ordinal)',
      'FROM suppressions',
      'SET send_started_at = now()',
      'INSERT INTO message_events (message_id, type, detail)',
    ]) {
      expect(named(marker), marker).toHaveLength(1);
      expect(named(marker)[0]?.statement.startsWith('/* herald:named */'), marker).toBe(true);
      expect(Number(named(marker)[0]?.generic_plans), marker).toBeGreaterThan(0);
    }
  });
});
