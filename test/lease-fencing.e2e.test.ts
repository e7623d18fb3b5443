import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, Prisma, type Db } from '@herald/db';
import {
  startHerald,
  startNodeProcess,
  startTestSmtpServer,
  type Herald,
  type JsonBody,
  type NodeProcess,
  type TestSmtpServer,
} from '@herald/test-support';
import { randomBytes } from 'node:crypto';

/**
 * Claims are fenced by their worker's lease (decision 012, "Claims that outlive their job"), tested
 * with the built worker processes and a slow SMTP server:
 * - a worker frozen (SIGSTOP) past its lease while holding claims is taken over by another worker,
 *   which delivers them; when it wakes, the claims it still holds in memory are not sent again;
 * - a claim under a live lease is never taken over for its age alone, even when a job for it runs in
 *   the other worker (Redis lost the jobs and the reconciler enqueued the old claims again).
 * One transactional send slot per worker (one SMTP connection), so a worker's other claims wait for
 * the slot: only the message in the slot can have begun its SMTP transaction.
 */
const LEASE_MS = 2000;
const STALE_CLAIM_MS = 1000;
/** The messages a worker can have on the wire: its transactional send slots. */
const SEND_SLOTS = 1;

let smtp: TestSmtpServer;
let herald: Herald;
let db: Db;

beforeAll(async () => {
  smtp = await startTestSmtpServer({ keep: 'count' });
  herald = await startHerald({
    workers: 1,
    env: {
      SMTP_URL: smtp.smtpUrl,
      SMTP_POOL_SIZE: '1',
      TRANSACTIONAL_SMTP_SLOTS: String(SEND_SLOTS),
      WORKER_LEASE_MS: String(LEASE_MS),
      STALE_CLAIM_MS: String(STALE_CLAIM_MS),
      SCHEDULER_INTERVAL_MS: '200',
      RECONCILE_INTERVAL_MS: '1000',
      DELIVERY_BACKOFF_MS: '200',
    },
  });
  db = createPrismaClient({ databaseUrl: herald.env.DATABASE_URL ?? '', maxConnections: 2 });
});

afterAll(async () => {
  // A worker left frozen by a failed test would hold its SIGTERM until killed.
  for (const worker of herald?.workers ?? []) worker.child.kill('SIGCONT');
  await herald?.stop();
  await herald?.flushQueuePrefix();
  await smtp?.close();
  await db?.$disconnect();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it answers a value, for at most `timeoutMs`. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${herald.output()}`);
    await sleep(50);
  }
}

/** The lease a worker process holds now (worker_leases names its pid). */
function leaseOf(worker: NodeProcess): Promise<string> {
  return waitFor('the worker to take its lease', async () => {
    const [row] = await db.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM worker_leases WHERE pid = ${worker.child.pid ?? -1} AND expires_at > now()`;
    return row?.id;
  });
}

async function postNotices(count: number, label: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const sent = await herald.client.call('POST', '/v1/messages', {
      template: 'service-notice',
      to: { email: `${label}-${i}-${randomBytes(4).toString('hex')}@example.test` },
      data: { title: 'Maintenance', body: `Notice ${i} of ${count}.` },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    ids.push(sent.body.id as string);
  }
  return ids;
}

type Row = { id: string; status: string; claimed_by: string | null; stamped: boolean; claim_age_ms: number };

async function rows(ids: string[]): Promise<Row[]> {
  return db.$queryRaw<Row[]>(Prisma.sql`
    SELECT id::text, status::text, claimed_by::text,
           (send_started_at IS NOT NULL AND send_started_at >= claimed_at) AS stamped,
           COALESCE(extract(epoch FROM now() - claimed_at) * 1000, 0)::float8 AS claim_age_ms
      FROM messages WHERE id = ANY(${ids}::uuid[])`);
}

async function settledAll(ids: string[]): Promise<JsonBody[]> {
  return Promise.all(ids.map((id) => herald.client.settled(id, 30_000)));
}

const eventTypes = (message: JsonBody) => (message.events as { type: string }[]).map((e) => e.type);

describe('claims are fenced by their worker lease', () => {
  it('a worker frozen past its lease is taken over, and on waking sends none of the claims it lost', async () => {
    const first = herald.workers[0] as NodeProcess;
    const firstLease = await leaseOf(first);
    smtp.delay('mail', 4000);
    const ids = await postNotices(5, 'frozen');

    // The first worker holds every claim: one message in its send slot (stamped, its SMTP
    // transaction under way), the others waiting for the slot.
    await waitFor('the first worker to claim every message and start one', async () => {
      const now = await rows(ids);
      const mine = now.filter((r) => r.status === 'sending' && r.claimed_by === firstLease);
      return mine.length === ids.length && mine.some((r) => r.stamped) ? true : undefined;
    });
    first.child.kill('SIGSTOP');
    try {
      // What it had done before it froze has reached the database by now.
      await sleep(300);
      const frozen = await rows(ids);
      const inSmtp = frozen.filter((r) => r.stamped).map((r) => r.id);
      const waiting = frozen.filter((r) => !r.stamped).map((r) => r.id);
      expect(frozen.every((r) => r.claimed_by === firstLease)).toBe(true);
      expect(inSmtp.length).toBeGreaterThan(0);
      expect(inSmtp.length).toBeLessThanOrEqual(SEND_SLOTS);

      // A second worker takes the frozen one's claims over once its lease has lapsed, and sends them
      // (still slowly, so the first wakes while the second holds claims of its own).
      smtp.delay('mail', 800);
      const second = herald.startWorker();
      const secondLease = await leaseOf(second);
      await waitFor('the second worker to take every claim over', async () => {
        const now = await rows(ids);
        return now.every((r) => r.claimed_by !== firstLease) &&
          now.some((r) => r.claimed_by === secondLease || r.status === 'sent')
          ? true
          : undefined;
      });
      first.child.kill('SIGCONT');
      await waitFor('the woken worker to replace its lapsed lease', async () =>
        first.output().includes(`worker lease ${firstLease} lapsed`) ? true : undefined,
      );

      const messages = await settledAll(ids);
      // Long enough for the woken worker to finish its transaction and try what it held in memory.
      await sleep(2000);
      for (const message of messages) expect(message.status, herald.output()).toBe('sent');
      // Claims taken over from the frozen worker were requeued, not recovered from a sent mark.
      for (const message of messages.filter((m) => waiting.includes(m.id as string)))
        expect(eventTypes(message)).toContain('requeued');
      // The messages that were waiting for the slot were received once; only one whose SMTP
      // transaction had begun before the freeze may arrive twice (the relay cannot be fenced).
      for (const id of waiting) expect(smtp.received.get(id), `waiting ${id}`).toBe(1);
      for (const id of inSmtp) expect(smtp.received.get(id) ?? 0).toBeGreaterThanOrEqual(1);
      const duplicates = ids.reduce((sum, id) => sum + Math.max(0, (smtp.received.get(id) ?? 0) - 1), 0);
      expect(duplicates).toBeLessThanOrEqual(SEND_SLOTS);
    } finally {
      first.child.kill('SIGCONT');
      smtp.delay('mail', 0);
    }
  });

  it('a claim under a live lease is never taken over for its age, even by a job in the other worker', async () => {
    await herald.stopWorkers();
    // The holder runs exactly as many transactional jobs as it gets messages, so every job enqueued
    // again later runs in the other worker, which must leave the holder's claims alone.
    const count = 2;
    const holder = startNodeProcess('apps/api/dist/worker.js', {
      PUBLIC_API_URL: herald.apiUrl,
      ...herald.env,
      TRANSACTIONAL_CONCURRENCY: String(count),
    });
    herald.workers.push(holder);
    const holderLease = await leaseOf(holder);
    // The transaction in the slot outlasts STALE_CLAIM_MS many times over, and so does the claim
    // waiting behind it: long enough for the other worker to start on a loaded machine (a CI run saw
    // it take 9 s, and with 6 s the message in the slot was sent before its claim was looked at).
    const mailDelayMs = 15 * STALE_CLAIM_MS;
    smtp.delay('mail', mailDelayMs);
    const ids = await postNotices(count, 'live');
    await waitFor('the holder to claim every message and start one', async () => {
      const now = await rows(ids);
      return now.every((r) => r.status === 'sending' && r.claimed_by === holderLease) &&
        now.some((r) => r.stamped)
        ? true
        : undefined;
    });
    // The holder's transaction in the slot is answered by then, whoever else sent the message.
    const holderDone = Date.now() + mailDelayMs + 1500;
    const other = herald.startWorker();
    await leaseOf(other);
    // A worker can start within STALE_CLAIM_MS of the claims: the point is claims older than that.
    const old = await waitFor('the claims to be older than STALE_CLAIM_MS', async () => {
      const now = await rows(ids);
      return now.every((r) => r.claim_age_ms > STALE_CLAIM_MS) ? now : undefined;
    });
    expect(old.every((r) => r.claimed_by === holderLease)).toBe(true);

    // Redis loses the jobs: a reconciler enqueues the claims older than STALE_CLAIM_MS again, and
    // those jobs run in the other worker while the holder is still sending.
    const before = herald.workers.map((w) => w.output().length);
    expect(await herald.flushQueuePrefix()).toBeGreaterThan(0);
    await waitFor('a reconciler to enqueue the old claims again', async () =>
      herald.workers.some((w, i) => /enqueued \d+ stored message/.test(w.output().slice(before[i])))
        ? true
        : undefined,
    );
    smtp.delay('mail', 0);

    const messages = await settledAll(ids);
    await sleep(Math.max(1000, holderDone - Date.now()));
    for (const message of messages) {
      expect(message.status, herald.output()).toBe('sent');
      const types = eventTypes(message);
      expect(types.filter((t) => t === 'sent')).toHaveLength(1);
      expect(types).not.toContain('requeued');
      expect(smtp.received.get(message.id as string), `received ${message.id}`).toBe(1);
    }
  });
});
