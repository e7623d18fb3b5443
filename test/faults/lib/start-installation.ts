import { createPrismaClient, type Db } from '@herald/db';
import {
  createScratchDatabase,
  startHerald,
  startHeraldWithWeb,
  startRedisServer,
  startTcpProxy,
  startTestSmtpServer,
  type Herald,
  type NodeProcess,
  type RedisServer,
  type ScratchDatabase,
  type TcpProxy,
  type TestSmtpServer,
  type WebServer,
} from '@herald/test-support';
import { randomBytes } from 'node:crypto';
import { sizes } from './sizes.js';
import { sleep } from './sleep.js';
import type { Scenario } from './types.js';

export interface RcptAnswer {
  code: number;
  message: string;
}

export interface Installation {
  herald: Herald;
  web: WebServer | null;
  smtp: TestSmtpServer;
  redis: RedisServer;
  /** Between the Herald processes and PostgreSQL when the scenario cuts the database. */
  proxy: TcpProxy | null;
  /** The scenario's database, directly (never through the proxy). */
  databaseUrl: string;
  db: Db;
  /** What the SMTP server answers at RCPT TO from now on: one answer for all, or by address; null accepts. */
  answerRcpt(rule: RcptAnswer | ((address: string) => RcptAnswer | null) | null): void;
  /** When each address was given in RCPT TO (a transaction started), every time. */
  rcptAt: Map<string, number[]>;
  /** When each Herald message first reached the SMTP server. */
  receivedAt: Map<string, number>;
  /** When each accepted message was first POSTed. */
  postedAt: Map<string, number>;
  /** Opt-outs that answered, and when: no promotional RCPT TO to the address may follow. */
  optOuts: { email: string; answeredAt: number }[];
  /** POSTs /v1/messages as a careful client does: the same idempotency key until a 202. The id, or null. */
  send(body: Record<string, unknown>, apiIndex?: number): Promise<string | null>;
  /** SIGKILLs worker `index` and starts another, as a supervisor would; its send slots may duplicate. */
  killWorker(index: number): Promise<void>;
  /**
   * Marks a worker as stopped by the scenario (its exit is no failure); one that was killed or frozen
   * (`abrupt`) may have sent what was in its send slots without recording it, so those may go twice.
   */
  markStopped(worker: NodeProcess, abrupt: boolean): void;
  allowedDuplicates(): number;
  /** Processes that exited without the scenario stopping them: someone would have had to restart them. */
  unexpectedExits(): string[];
  stop(): Promise<void>;
}

const SMTP_POOL_SIZE = 3;
const TRANSACTIONAL_SMTP_SLOTS = 4;
/** One bulk slot per pooled connection; the transactional stream has its own. */
const SLOTS_PER_WORKER = SMTP_POOL_SIZE + TRANSACTIONAL_SMTP_SLOTS;

/**
 * One Herald installation of a scenario's own: a copy of the template database, a private
 * redis-server, the controllable SMTP server, and the built API and worker processes (two of each
 * unless the scenario says otherwise), with short leases and backoffs so faults play out in seconds.
 */
export async function startInstallation(templateUrl: string, scenario: Scenario): Promise<Installation> {
  const setup = scenario.setup ?? {};
  const scratch: ScratchDatabase = await createScratchDatabase(templateUrl, 'faults');
  const redis = await startRedisServer();
  const rcptAt = new Map<string, number[]>();
  let rcptRule: RcptAnswer | ((address: string) => RcptAnswer | null) | null = null;
  const smtp = await startTestSmtpServer({
    keep: 'headers',
    maxMessages: 200,
    rcptHandler: (address) => {
      const lower = address.toLowerCase();
      rcptAt.set(lower, [...(rcptAt.get(lower) ?? []), Date.now()]);
      return typeof rcptRule === 'function' ? rcptRule(lower) : rcptRule;
    },
  });
  const receivedAt = new Map<string, number>();
  smtp.onMessage((message) => {
    if (message.heraldMessageId && !receivedAt.has(message.heraldMessageId))
      receivedAt.set(message.heraldMessageId, message.receivedAt);
  });
  const proxy = setup.throughProxy
    ? await startTcpProxy({ targetPort: Number(new URL(scratch.url).port || 5432) })
    : null;
  const env: Record<string, string> = {
    DATABASE_URL: proxy ? proxy.urlThrough(scratch.url) : scratch.url,
    REDIS_URL: redis.url,
    HERALD_QUEUE_PREFIX: `faults-${randomBytes(4).toString('hex')}`,
    SMTP_URL: smtp.smtpUrl,
    SMTP_POOL_SIZE: String(SMTP_POOL_SIZE),
    TRANSACTIONAL_SMTP_SLOTS: String(TRANSACTIONAL_SMTP_SLOTS),
    WORKER_LEASE_MS: '3000',
    SCHEDULER_INTERVAL_MS: '200',
    RECONCILE_INTERVAL_MS: '2000',
    STALE_CLAIM_MS: '60000',
    DELIVERY_ATTEMPTS: '12',
    DELIVERY_BACKOFF_MS: '500',
    CAMPAIGN_BATCH_SIZE: '50',
    ...setup.env,
  };
  // FAULTS_WORKER_NODE_ARGS: node options for the workers, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to
  // see where a scenario spends their time (profiles are written when a worker exits normally).
  const workerNodeArgs = (process.env.FAULTS_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const options = { apis: setup.apis ?? 2, workers: setup.workers ?? 2, env, workerNodeArgs };
  let herald: Herald;
  let web: WebServer | null = null;
  if (setup.web) {
    const stack = await startHeraldWithWeb(options);
    herald = stack.herald;
    web = stack.web;
  } else {
    herald = await startHerald(options);
  }
  const db = createPrismaClient({ databaseUrl: scratch.url, maxConnections: 3 });
  const postedAt = new Map<string, number>();
  const stopped = new Set<NodeProcess>();
  let allowed = 0;

  const installation: Installation = {
    herald,
    web,
    smtp,
    redis,
    proxy,
    databaseUrl: scratch.url,
    db,
    answerRcpt(rule) {
      rcptRule = rule;
    },
    rcptAt,
    receivedAt,
    postedAt,
    optOuts: [],
    async send(body, apiIndex = 0) {
      const url = herald.apiUrls[apiIndex % herald.apiUrls.length] ?? herald.apiUrl;
      const idempotencyKey = randomBytes(8).toString('hex');
      const first = Date.now();
      const deadline = first + sizes.outageMs + 60_000;
      while (Date.now() < deadline) {
        try {
          const response = await fetch(`${url}/v1/messages`, {
            method: 'POST',
            headers: { authorization: `Bearer ${herald.apiKey}`, 'content-type': 'application/json' },
            body: JSON.stringify({ ...body, idempotencyKey }),
            signal: AbortSignal.timeout(5_000),
          });
          const answer = (await response.json()) as { id?: string };
          if (response.status === 202 && answer.id) {
            if (!postedAt.has(answer.id)) postedAt.set(answer.id, first);
            return answer.id;
          }
        } catch {
          // no answer: the same key again, as a client that cannot tell whether it was stored
        }
        await sleep(500);
      }
      return null;
    },
    async killWorker(index) {
      const worker = herald.workers[index];
      if (!worker) throw new Error(`no worker ${index}`);
      installation.markStopped(worker, true);
      await worker.kill();
      herald.startWorker();
    },
    markStopped(worker, abrupt) {
      stopped.add(worker);
      if (abrupt) allowed += SLOTS_PER_WORKER;
    },
    allowedDuplicates: () => allowed,
    unexpectedExits: () =>
      [
        ...herald.apis.map((p, i) => ({ p, name: `api ${i}` })),
        ...herald.workers.map((p, i) => ({ p, name: `worker ${i}` })),
        ...(web ? [{ p: web.process, name: 'web' }] : []),
      ]
        .filter(({ p }) => p.exited() && !stopped.has(p))
        .map(({ p, name }) => `${name} exited: ${p.output().slice(-400)}`),
    async stop() {
      await Promise.all([herald.stop(), web?.stop()]);
      await db.$disconnect();
      await smtp.close();
      await redis.stop();
      await proxy?.close();
      await scratch.drop();
    },
  };
  return installation;
}
