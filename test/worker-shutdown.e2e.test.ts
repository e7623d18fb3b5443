import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, Prisma, type Db } from '@herald/db';
import {
  startHerald,
  startTestSmtpServer,
  type Herald,
  type NodeProcess,
  type TestSmtpServer,
} from '@herald/test-support';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';

/**
 * SIGTERM to a worker whose SMTP server is slow: each reply to DATA is held back, the transactional
 * stream has two send slots and the bulk stream one, each slot an SMTP connection, so most
 * claimed messages wait for a slot when the signal comes. The worker must exit within its deadline
 * (WORKER_SHUTDOWN_MS), hand back what had not started, and a second worker must finish everything:
 * every message `sent`, the campaign `sent`, nothing lost. Two cases: a server slower than the
 * deadline (the worker gives up on what is in SMTP), and one that answers before it (the orderly
 * exit, which must leave nothing to send twice).
 */
/** Messages the first worker can have on the wire: both streams' send slots. */
const IN_FLIGHT = 2 + 1;
const SINGLE_SENDS = 10;
const CAMPAIGN_CONTACTS = 6;

let smtp: TestSmtpServer;
let herald: Herald;
let db: Db;

/** A fresh SMTP server and one worker (with its API) given `shutdownMs` to stop, for one case. */
function installation(shutdownMs: number) {
  beforeAll(async () => {
    smtp = await startTestSmtpServer({ keep: 'count' });
    herald = await startHerald({
      env: {
        SMTP_URL: smtp.smtpUrl,
        SMTP_POOL_SIZE: '1',
        TRANSACTIONAL_SMTP_SLOTS: '2',
        WORKER_SHUTDOWN_MS: String(shutdownMs),
        WORKER_LEASE_MS: '2000',
        SCHEDULER_INTERVAL_MS: '200',
        RECONCILE_INTERVAL_MS: '1000',
        DELIVERY_BACKOFF_MS: '200',
      },
    });
    db = createPrismaClient({ databaseUrl: herald.env.DATABASE_URL ?? '', maxConnections: 2 });
  });

  // The next case's worker must not find this one's processes (they share the file's database).
  afterAll(async () => {
    await herald?.stop();
    await herald?.flushQueuePrefix();
    await smtp?.close();
    await db?.$disconnect();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends SIGTERM and resolves with how the process ended; rejects if it is still running after `boundMs`. */
async function terminate(worker: NodeProcess, boundMs: number) {
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    worker.child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  worker.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`worker still running ${boundMs} ms after SIGTERM:\n${worker.output()}`)),
      boundMs,
    );
  });
  try {
    return await Promise.race([exit, bound]);
  } finally {
    clearTimeout(timer);
  }
}

async function startCampaign() {
  const run = `shutdown-${randomBytes(5).toString('hex')}`;
  const emails = Array.from(
    { length: CAMPAIGN_CONTACTS },
    (_, i) => `camp-${i}-${randomBytes(4).toString('hex')}@example.test`,
  );
  await db.$executeRaw(Prisma.sql`
    INSERT INTO contacts (id, email, attributes, updated_at)
    SELECT herald_uuid7(), e, jsonb_build_object('run', ${run}::text), now() FROM unnest(${emails}::text[]) AS e`);
  const created = await herald.client.call('POST', '/v1/campaigns', {
    name: `Shutdown ${run}`,
    template: 'newsletter',
    data: {
      headline: 'Shutdown news',
      intro: 'A worker stops; its mail does not.',
      articles: [{ title: 'Handover', summary: 'Nothing lost.', url: 'https://example.com/h' }],
    },
    audience: { attributes: { run } },
    sendAt: new Date().toISOString(),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

async function waitForCampaignStatus(id: string, status: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await herald.client.call('GET', `/v1/campaigns/${id}`);
    if (body.status === status) return body;
    if (Date.now() > deadline)
      throw new Error(`campaign ${id} is ${body.status}, not ${status}: ${JSON.stringify(body.counts)}`);
    await sleep(200);
  }
}

/** Ten single sends and a campaign, then waits for a message of each stream to be in SMTP (reply held). */
async function sendLoadIntoSlowSmtp(dataDelayMs: number) {
  smtp.delay('data', dataDelayMs);
  const singles: string[] = [];
  for (let i = 0; i < SINGLE_SENDS; i++) {
    const sent = await herald.client.call('POST', '/v1/messages', {
      template: 'service-notice',
      to: { email: `single-${i}-${randomBytes(4).toString('hex')}@example.test` },
      data: { title: 'Maintenance', body: `Notice ${i}.` },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    singles.push(sent.body.id as string);
  }
  const campaignId = await startCampaign();
  const inSmtp = (prefix: string) =>
    smtp.waitFor((m) => m.envelope.to.some((to) => to.startsWith(prefix)), { timeoutMs: 20_000 });
  await Promise.all([inSmtp('single-'), inSmtp('camp-')]);
  return { singles, campaignId };
}

/** A single send handed back had not been tried: it is `queued` and its job kept every attempt. */
async function expectDeferredSinglesUntried(singles: string[]) {
  const deferredSingles = await db.message.findMany({
    where: { id: { in: singles }, events: { some: { type: 'deferred' } } },
    select: { id: true, status: true },
  });
  expect(deferredSingles.length).toBeGreaterThan(0);
  const redis = new Redis(herald.env.REDIS_URL ?? '');
  try {
    for (const { id, status } of deferredSingles) {
      expect(status).toBe('queued');
      const attemptsMade = await redis.hget(
        `${herald.env.HERALD_QUEUE_PREFIX}:delivery:${id}`,
        'attemptsMade',
      );
      expect(Number(attemptsMade ?? 0), id).toBe(0);
    }
  } finally {
    redis.disconnect();
  }
}

/** A second worker, SMTP fast again, sends every message and completes the campaign: the ids of all. */
async function secondWorkerSendsEverything(singles: string[], campaignId: string) {
  smtp.delay('data', 0);
  const second = herald.startWorker();
  for (const id of singles) {
    const message = await herald.client.settled(id, 30_000);
    expect(message.status, `${id}\n${second.output()}`).toBe('sent');
  }
  const done = await waitForCampaignStatus(campaignId, 'sent');
  expect(done.counts).toMatchObject({ targeted: CAMPAIGN_CONTACTS, sent: CAMPAIGN_CONTACTS, queued: 0 });
  const campaignMessages = await db.message.findMany({ where: { campaignId }, select: { id: true } });
  const all = [...singles, ...campaignMessages.map((m) => m.id)];
  expect(all.filter((id) => !smtp.received.has(id))).toEqual([]);
  return all;
}

const duplicates = (ids: string[]) =>
  ids.reduce((sum, id) => sum + Math.max(0, (smtp.received.get(id) ?? 0) - 1), 0);

describe('SIGTERM while SMTP is slower than the deadline', () => {
  const SHUTDOWN_MS = 4000;
  installation(SHUTDOWN_MS);

  it('the worker exits within its deadline and a second worker sends everything, nothing lost', async () => {
    const { singles, campaignId } = await sendLoadIntoSlowSmtp(3000);
    const [first] = herald.workers;
    if (!first) throw new Error('no worker');
    // A bound on the exit, not a timing figure: the worker is given its deadline and some slack.
    const ended = await terminate(first, SHUTDOWN_MS + 5000);
    const orderly = !first.output().includes('shutdown took longer than');

    // What had not started went back to the queue at once (a `deferred` event in its history).
    const deferred = await db.messageEvent.count({ where: { type: 'deferred' } });
    expect(deferred, first.output()).toBeGreaterThan(0);
    await expectDeferredSinglesUntried(singles);

    const all = await secondWorkerSendsEverything(singles, campaignId);
    const duplicated = duplicates(all);
    // An orderly exit waited for every send on the wire: nothing went twice. A worker that reached
    // its deadline exits with messages whose DATA the server has but whose reply never came back, so
    // no sent mark: the second worker sends those again, at most one per send slot of the first.
    if (orderly) expect(duplicated).toBe(0);
    else expect(duplicated).toBeLessThanOrEqual(IN_FLIGHT);
    console.log(
      `worker shutdown: exit ${JSON.stringify(ended)}, ${orderly ? 'orderly' : 'deadline'}; ${deferred} message(s) deferred, ${duplicated} duplicate(s)`,
    );
  });
});

describe('SIGTERM while SMTP answers within the deadline', () => {
  const SHUTDOWN_MS = 15_000;
  installation(SHUTDOWN_MS);

  it('the worker finishes what is in SMTP, exits before its deadline, and nothing is sent twice', async () => {
    const { singles, campaignId } = await sendLoadIntoSlowSmtp(1500);
    const [first] = herald.workers;
    if (!first) throw new Error('no worker');
    // Bounded by the deadline itself: an orderly exit comes before it.
    const ended = await terminate(first, SHUTDOWN_MS);
    expect(first.output()).not.toContain('shutdown took longer than');
    expect(ended.code, first.output()).not.toBe(1);

    // Everything this worker started in SMTP was recorded; everything else went back to the queue:
    // a clean exit leaves no claim for another worker to take over.
    const ids = [
      ...singles,
      ...(await db.message.findMany({ where: { campaignId }, select: { id: true } })).map((m) => m.id),
    ];
    const left = await db.message.findMany({
      where: { id: { in: ids } },
      select: { id: true, status: true },
    });
    expect(
      left.filter((m) => m.status !== 'sent' && m.status !== 'queued'),
      first.output(),
    ).toEqual([]);
    const deferred = await db.messageEvent.count({ where: { type: 'deferred', messageId: { in: ids } } });
    expect(deferred, first.output()).toBeGreaterThan(0);
    await expectDeferredSinglesUntried(singles);

    const all = await secondWorkerSendsEverything(singles, campaignId);
    expect(all.filter((id) => smtp.received.get(id) !== 1)).toEqual([]);
    console.log(`worker shutdown (orderly): exit ${JSON.stringify(ended)}; ${deferred} message(s) deferred`);
  });
});
