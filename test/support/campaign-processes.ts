import { createPrismaClient, type Db, Prisma } from '@herald/db';
import { startMailCatcher, type MailCatcher } from '@herald/mail-catcher';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { freePort, startProcess, waitForHttp, type Started } from './processes.js';

/**
 * A campaign scenario across built processes: the API and a worker as children that the test can
 * kill, a mail catcher counting deliveries per X-Herald-Message-Id, and a Bull prefix of its own
 * (so "Redis lost its data" can be played by deleting only this prefix's keys).
 */
export interface CampaignScene {
  db: Db;
  catcher: MailCatcher;
  env: Record<string, string>;
  apiUrl: string;
  api: Started;
  worker: Started;
  /** Deliveries per message id. */
  received: Map<string, number>;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  startApi(): Promise<void>;
  startWorker(): void;
  /** Deletes every Redis key under this scene's queue prefix: jobs, delays, locks, rate buckets. */
  flushQueuePrefix(): Promise<number>;
  close(): Promise<void>;
}

export async function startCampaignScene(workerEnv: Record<string, string> = {}): Promise<CampaignScene> {
  const catcher = await startMailCatcher({ smtpPort: 0, httpPort: null, keep: 'count', maxMessages: 100 });
  const received = new Map<string, number>();
  catcher.onMessage((m) => {
    if (m.heraldMessageId) received.set(m.heraldMessageId, (received.get(m.heraldMessageId) ?? 0) + 1);
  });
  const port = await freePort();
  const apiKey = `e2e-${randomBytes(12).toString('hex')}`;
  const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/herald_test';
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    HERALD_QUEUE_PREFIX: `e2e-camp-${randomBytes(4).toString('hex')}`,
    HERALD_API_KEY: apiKey,
    HERALD_SECRET: `e2e:${randomBytes(32).toString('base64url')}`,
    SMTP_URL: catcher.smtpUrl,
    API_PORT: String(port),
    PUBLIC_API_URL: `http://127.0.0.1:${port}`,
    WORKER_LEASE_MS: '2000',
    SCHEDULER_INTERVAL_MS: '200',
    ...workerEnv,
  };
  const db = createPrismaClient({ databaseUrl, maxConnections: 2 });
  const redis = new Redis(env.REDIS_URL as string, { lazyConnect: true });
  const apiUrl = `http://127.0.0.1:${port}`;
  const scene: CampaignScene = {
    db,
    catcher,
    env,
    apiUrl,
    api: startProcess('apps/api/dist/main.js', env),
    worker: startProcess('apps/api/dist/worker.js', env),
    received,
    async call(method, path, body) {
      const response = await fetch(`${apiUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: await response.json() };
    },
    async startApi() {
      scene.api = startProcess('apps/api/dist/main.js', env);
      await waitForHttp(`${apiUrl}/health`, 20_000, scene.api);
    },
    startWorker() {
      scene.worker = startProcess('apps/api/dist/worker.js', env);
    },
    async flushQueuePrefix() {
      if (redis.status === 'wait') await redis.connect();
      let deleted = 0;
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${env.HERALD_QUEUE_PREFIX}:*`, 'COUNT', 1000);
        if (keys.length > 0) deleted += await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      return deleted;
    },
    async close() {
      await Promise.all([scene.api.stop(), scene.worker.stop()]);
      await scene.flushQueuePrefix();
      redis.disconnect();
      await catcher.close();
      await db.$disconnect();
    },
  };
  await waitForHttp(`${apiUrl}/health`, 20_000, scene.api);
  return scene;
}

/** Inserts `count` contacts tagged with a run id of their own; the campaign's audience filters on it. */
export async function insertRunContacts(
  db: Db,
  run: string,
  count: number,
): Promise<{ id: string; email: string }[]> {
  const emails = Array.from(
    { length: count },
    (_, i) => `camp-${i}-${randomBytes(4).toString('hex')}@example.test`,
  );
  return db.$queryRaw(Prisma.sql`
    INSERT INTO contacts (id, email, attributes, updated_at)
    SELECT herald_uuid7(), e, jsonb_build_object('run', ${run}::text), now() FROM unnest(${emails}::text[]) AS e
    RETURNING id::text, email`);
}

export const NEWSLETTER_DATA = {
  headline: 'Kill-and-restart news',
  intro: 'Nothing lost, nothing doubled.',
  articles: [{ title: 'Survival', summary: 'Workers die; mail does not.', url: 'https://example.com/s' }],
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until the campaign's status is `status`. */
export async function waitForCampaignStatus(
  scene: CampaignScene,
  id: string,
  status: string,
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await scene.call('GET', `/v1/campaigns/${id}`);
    if (body.status === status) return body;
    if (Date.now() > deadline)
      throw new Error(`campaign ${id} is ${body.status}, not ${status}: ${JSON.stringify(body.counts)}`);
    await sleep(200);
  }
}

/** What every targeted contact ended with, and what reached the SMTP server how often. */
export async function campaignOutcome(scene: CampaignScene, campaignId: string) {
  const messages = await scene.db.message.findMany({
    where: { campaignId },
    select: { id: true, contactId: true, status: true },
  });
  const duplicated = messages.reduce((sum, m) => sum + Math.max(0, (scene.received.get(m.id) ?? 0) - 1), 0);
  const neverReceived = messages.filter((m) => !scene.received.has(m.id)).length;
  return { messages, duplicated, neverReceived };
}
