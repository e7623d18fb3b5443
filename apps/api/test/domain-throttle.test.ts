import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Bull from 'bull';
import { createPrismaClient, Prisma, type Db } from '@herald/db';
import {
  heraldEnvironment,
  startHerald,
  startRedisServer,
  startTestSmtpServer,
  type Herald,
  type TestSmtpServer,
} from '@herald/test-support';
import { randomBytes } from 'node:crypto';
import { createDomainThrottle } from '../src/delivery/domain-throttle.js';
import { throttleSendSlots } from '../src/delivery/domain-throttle-slots.js';
import { createSendSlots } from '../src/delivery/send-slots.js';

/**
 * The per-recipient-domain throttle of promotional mail (HERALD_DOMAIN_RATES): at most the rate in
 * any one-second window at the receiving server, across every worker, with the wait taken before a
 * send slot so a throttled domain never holds a connection; and held, not sent, while Redis is away.
 */
const RATE = 10;
/** Contacts at the throttled domain, and as many at another: six seconds of the throttled domain's turns. */
const PER_DOMAIN = 60;
const NEWSLETTER_DATA = {
  headline: 'Warm-up news',
  intro: 'A new sending domain, introduced slowly.',
  articles: [{ title: 'Patience', summary: 'Twenty a second.', url: 'https://example.com/w' }],
};

const WORKER_FROM = ['Worker One <news@one.example.test>', 'Worker Two <news@two.example.test>'] as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The most instants that fall within any window of `windowMs` (a half-open [t, t + windowMs)). */
function mostInAnyWindow(instants: number[], windowMs = 1000): number {
  const sorted = [...instants].sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

/** Resolves with what `promise` gave, or 'pending' if it has not settled within `ms`. */
const settledWithin = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, sleep(ms).then(() => 'pending' as const)]);

describe('the domain throttle in one process', () => {
  const queues: Bull.Queue[] = [];
  const queue = (url: string) => {
    const made = new Bull(`throttle-${randomBytes(4).toString('hex')}`, url);
    queues.push(made);
    return made;
  };
  afterAll(async () => {
    await Promise.all(queues.map((q) => q.close()));
  });

  it('spaces two throttles sharing Redis to the rate in every window, and gives unthrottled mail its slot at once', async () => {
    const { REDIS_URL = '', HERALD_QUEUE_PREFIX = '' } = heraldEnvironment('throttle');
    // Two "workers": their own Redis client, their own slots, one rate between them.
    const workers = [0, 1].map(() => {
      const client = queue(REDIS_URL).client;
      const throttle = createDomainThrottle({
        redis: client,
        keyPrefix: HERALD_QUEUE_PREFIX,
        rates: { 'throttled.test': RATE },
        onUnavailable: () => undefined,
      });
      return throttleSendSlots(createSendSlots(2), throttle);
    });
    await Promise.all(queues.map((q) => q.isReady()));
    const granted: number[] = [];
    const started = Date.now();
    const throttled = Array.from({ length: 25 }, async (_, i) => {
      const release = await workers[i % 2]!(`reader-${i}@Throttled.test`);
      granted.push(Date.now());
      await sleep(5); // an SMTP transaction
      release?.();
    });
    // Meanwhile mail to another domain takes its slot at once: the throttled waiters hold none.
    await sleep(100);
    const other = Date.now();
    const release = await workers[0]!('someone@example.test');
    expect(Date.now() - other).toBeLessThan(50);
    release?.();
    await Promise.all(throttled);
    expect(granted).toHaveLength(25);
    expect(mostInAnyWindow(granted)).toBeLessThanOrEqual(RATE);
    // 25 turns at the rate take more than two seconds: they did not go at once.
    expect(Date.now() - started).toBeGreaterThan(2000);
  });

  it('holds a throttled domain while Redis is unreachable, sends other mail, and goes on when Redis is back', async () => {
    const redis = await startRedisServer();
    try {
      const client = queue(redis.url).client;
      await queues.at(-1)!.isReady();
      const outages: (string | null)[] = [];
      const slots = throttleSendSlots(
        createSendSlots(2),
        createDomainThrottle({
          redis: client,
          keyPrefix: 'held',
          rates: { 'throttled.test': RATE },
          onUnavailable: (error) => outages.push(error ? 'down' : 'up'),
        }),
      );
      await redis.stop();
      const waiting = slots('reader@throttled.test');
      expect(await settledWithin(waiting, 1500)).toBe('pending');
      expect(outages).toEqual(['down']);
      const unthrottled = await settledWithin(slots('someone@example.test'), 200);
      expect(unthrottled).toEqual(expect.any(Function));
      (unthrottled as () => void)();

      await redis.start();
      const release = await settledWithin(waiting, 10_000);
      expect(release).toEqual(expect.any(Function));
      (release as () => void)();
      expect(outages).toEqual(['down', 'up']);

      // A worker shutting down turns a throttled waiter away at once.
      (await slots('first@throttled.test'))?.();
      const next = slots('second@throttled.test');
      slots.close();
      expect(await settledWithin(next, 300)).toBeNull();
    } finally {
      await redis.stop();
    }
  });
});

describe('the domain throttle across two worker processes', () => {
  let smtp: TestSmtpServer;
  let herald: Herald;
  let db: Db;
  beforeAll(async () => {
    smtp = await startTestSmtpServer({ keep: 'headers' });
    herald = await startHerald({
      env: {
        SMTP_URL: smtp.smtpUrl,
        HERALD_DOMAIN_RATES: `throttled.test=${RATE}`,
        SCHEDULER_INTERVAL_MS: '200',
        CAMPAIGN_BATCH_SIZE: '25',
        PROMOTIONAL_MAIL_FROM: WORKER_FROM[0],
      },
    });
    // The second worker signs its newsletters with another From, so the test sees who sent what.
    herald.env.PROMOTIONAL_MAIL_FROM = WORKER_FROM[1];
    herald.startWorker();
    const deadline = Date.now() + 30_000;
    while (!herald.workers.every((worker) => worker.output().includes('herald worker started'))) {
      if (Date.now() > deadline) throw new Error(`workers not started:\n${herald.output()}`);
      await sleep(100);
    }
    db = createPrismaClient({ databaseUrl: herald.env.DATABASE_URL ?? '', maxConnections: 2 });
  }, 60_000);
  afterAll(async () => {
    await herald?.stop();
    await herald?.flushQueuePrefix();
    await smtp?.close();
    await db?.$disconnect();
  });

  it(`never lets the throttled domain receive more than ${RATE} in any second, while other domains go faster`, async () => {
    const run = `throttle-${randomBytes(5).toString('hex')}`;
    // Interleaved, as a real list is: every batch holds both domains.
    const emails = Array.from(
      { length: 2 * PER_DOMAIN },
      (_, i) =>
        `reader-${i}-${randomBytes(3).toString('hex')}@${i % 2 === 0 ? 'throttled.test' : 'example.test'}`,
    );
    await db.$executeRaw(Prisma.sql`
      INSERT INTO contacts (id, email, attributes, updated_at)
      SELECT herald_uuid7(), e, jsonb_build_object('run', ${run}::text), now()
        FROM unnest(${emails}::text[]) WITH ORDINALITY AS t(e, n) ORDER BY n`);
    const created = await herald.client.call('POST', '/v1/campaigns', {
      name: `Warm-up ${run}`,
      template: 'newsletter',
      data: NEWSLETTER_DATA,
      audience: { attributes: { run } },
      sendAt: new Date().toISOString(),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    await smtp.waitForCount(2 * PER_DOMAIN, { timeoutMs: 45_000 });
    const receipts = (domain: string) =>
      smtp
        .messages()
        .filter((m) => m.envelope.to[0]?.endsWith(`@${domain}`))
        .map((m) => m.receivedAt);
    const throttled = receipts('throttled.test');
    const others = receipts('example.test');
    expect(throttled).toHaveLength(PER_DOMAIN);
    expect(others).toHaveLength(PER_DOMAIN);
    expect(mostInAnyWindow(throttled)).toBeLessThanOrEqual(RATE);
    // Both workers sent to the throttled domain: the rate held across them, not in each.
    const throttledFrom = smtp
      .messages()
      .filter((m) => m.envelope.to[0]?.endsWith('@throttled.test'))
      .map((m) => m.header('from'));
    for (const from of WORKER_FROM) {
      expect(throttledFrom.filter((f) => f === from).length, herald.output()).toBeGreaterThan(5);
    }
    // The other domain was not held to the rate, nor behind the throttled one.
    expect(mostInAnyWindow(others)).toBeGreaterThan(RATE);
    expect(Math.max(...others)).toBeLessThan(Math.max(...throttled));
    expect(new Set(smtp.messages().map((m) => m.heraldMessageId)).size).toBe(2 * PER_DOMAIN);
  }, 60_000);
});
