/**
 * Click tracking's benchmark (docs/decisions/022-click-tracking.md): tracked-link redirects
 * (`GET /c/{token}`) through the built web server (`node apps/web/server.js`, answered in Express
 * before Remix), each verifying its signed token, answering a 302 and handing its click to the
 * batched recorder. The load is open loop, as in one-click.bench.ts: BENCH_CLICKS_RATE requests/s
 * for BENCH_SECONDS, each sent on its schedule whatever the answers take; latency is from each
 * request's scheduled send time. The tokens are those of real message rows (BENCH_CLICKS_MESSAGES
 * messages, three links each), so every click is written; after the run the benchmark waits for
 * the batches and counts the rows. Target on 2 cores with WEB_WORKERS=2: ≥ 2,000 redirects/s with
 * p99 ≤ 20 ms.
 * Options: BENCH_CLICKS_RATE (2000), BENCH_SECONDS (20), BENCH_CLICKS_WORKERS (2), BENCH_CLICKS_MESSAGES (1000).
 */
import { createPrismaClient, Prisma } from '@herald/db';
import { parseSigningKeys, signClickToken } from '@herald/preferences';
import { startWebServer } from '@herald/test-support';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { Agent, request } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { cpuMs } from './lib/process-cpu.js';
import { writeResult } from './lib/results.js';
import { round, summarize } from './lib/stats.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/herald_bench';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const RATE = Number(process.env.BENCH_CLICKS_RATE ?? 2000);
const WEB_WORKERS = Number(process.env.BENCH_CLICKS_WORKERS ?? 2);
const MESSAGES = Number(process.env.BENCH_CLICKS_MESSAGES ?? 1000);
const WARM_UP_SECONDS = 3;
const TIMEOUT_MS = 10_000;
const TARGET = { ratePerSecond: 2000, p99Ms: 20 };
const USER_AGENT =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';

const db = createPrismaClient({ databaseUrl: DATABASE_URL });
const log = (message: string) =>
  console.error(`[clicks ${new Date().toISOString().slice(11, 19)}] ${message}`);

/** `MESSAGES` sent newsletter messages of one new contact each; their ids. */
async function prepareMessages(): Promise<string[]> {
  const run = randomBytes(4).toString('hex');
  const template = await db.template.findFirst({
    where: { key: 'newsletter' },
    orderBy: { version: 'desc' },
  });
  if (!template) throw new Error('the bench database has no newsletter template (seed it first)');
  const rows = await db.$queryRaw<{ id: string }[]>(Prisma.sql`
    WITH c AS (
      INSERT INTO contacts (id, email, updated_at)
      SELECT herald_uuid7(), 'clicks-' || ${run} || '-' || i || '@example.test', now()
        FROM generate_series(1, ${MESSAGES}) AS i
      RETURNING id)
    INSERT INTO messages (id, contact_id, template_id, category_key, class, status, sent_at, updated_at)
    SELECT herald_uuid7(), c.id, ${template.id}::uuid, ${template.categoryKey}, 'promotional', 'sent',
           now() - interval '1 hour', now()
      FROM c
    RETURNING id::text`);
  return rows.map((row) => row.id);
}

interface Outcome {
  latencyMs: number;
  status: number | null;
  location: string | undefined;
  timedOut: boolean;
}

async function openLoop(url: URL, paths: string[], count: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1000 });
  const outcomes: Promise<Outcome>[] = [];
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    outcomes.push(
      new Promise<Outcome>((resolve) => {
        let timedOut = false;
        const done = (status: number | null, location?: string) =>
          resolve({ latencyMs: performance.now() - due, status, location, timedOut });
        const req = request(
          {
            agent,
            host: url.hostname,
            port: url.port,
            method: 'GET',
            path: paths[i % paths.length],
            timeout: TIMEOUT_MS,
            headers: { 'user-agent': USER_AGENT },
          },
          (response) => {
            response.resume();
            response.once('end', () => done(response.statusCode ?? null, response.headers.location));
          },
        );
        req.once('timeout', () => {
          timedOut = true;
          req.destroy();
        });
        req.once('error', () => done(null));
        req.end();
      }),
    );
  }
  const offeredSeconds = (performance.now() - start) / 1000;
  const settled = await Promise.all(outcomes);
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return { outcomes: settled, offeredSeconds, seconds };
}

async function countClicks(messageIds: string[]): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number }[]>(Prisma.sql`
    SELECT count(*)::int AS n FROM link_clicks WHERE message_id = ANY(${messageIds}::uuid[])`);
  return row?.n ?? 0;
}

try {
  log(`preparing ${MESSAGES} messages …`);
  const messageIds = await prepareMessages();
  const server = await startWebServer({ DATABASE_URL, WEB_WORKERS: String(WEB_WORKERS) });
  const url = new URL(server.url);
  try {
    const keys = parseSigningKeys(server.env.HERALD_SECRET ?? '');
    const paths = messageIds.flatMap((messageId) =>
      [0, 1, 2].map(
        (linkIndex) =>
          `/c/${signClickToken({ messageId, linkIndex, url: `https://example.test/articles/${linkIndex}?ref=newsletter` }, keys)}`,
      ),
    );
    log(`web processes: ${WEB_WORKERS}; warming up for ${WARM_UP_SECONDS} s …`);
    const warm = await openLoop(url, paths, RATE * WARM_UP_SECONDS);
    const requests = RATE * SECONDS;
    const before = await waitForClicks(messageIds, warm.outcomes.length);
    log(`${RATE} requests/s for ${SECONDS} s, open loop …`);
    const webPids = [server.process.child.pid ?? -1, ...childrenOf(server.process.child.pid ?? -1)];
    const cpuBefore = webPids.reduce((sum, pid) => sum + cpuMs(pid), 0);
    const { outcomes, offeredSeconds, seconds } = await openLoop(url, paths, requests);
    const webCpuMs = webPids.reduce((sum, pid) => sum + cpuMs(pid), 0) - cpuBefore;
    const redirected = outcomes.filter(
      (o) => o.status === 302 && o.location?.startsWith('https://example.test/'),
    );
    const waitStarted = performance.now();
    const written = (await waitForClicks(messageIds, before + redirected.length)) - before;
    const latency = summarize(outcomes.map((o) => o.latencyMs));
    const achieved = requests / offeredSeconds;
    writeResult('clicks', {
      command: 'npm run bench (bench/clicks.bench.ts); BENCH_ONLY=clicks npm run bench for this one',
      route: 'GET /c/{token} (Express before Remix, built app, node apps/web/server.js)',
      loadGenerator: 'open loop, node:http keep-alive, same machine; latency from the scheduled send time',
      webProcesses: WEB_WORKERS,
      seconds: SECONDS,
      offered: { requests, ratePerSecond: RATE, achievedPerSecond: round(achieved) },
      answered: { redirects: redirected.length, perSecond: round(redirected.length / seconds) },
      latencyMs: latency,
      timeouts: outcomes.filter((o) => o.timedOut).length,
      otherErrors: outcomes.filter((o) => o.status === null && !o.timedOut).length,
      non302: outcomes.filter((o) => o.status !== null && o.status !== 302).length,
      // The web processes' own CPU (user + system, from /proc) over the measured run: what a
      // redirect costs whatever else the machine was doing, batched click writes included.
      webCpuMsPerRedirect: round(webCpuMs / Math.max(1, redirected.length), 3),
      webCpuCoresBusy: round(webCpuMs / 1000 / seconds, 2),
      machineLoadAverage: loadavg().map((n) => round(n, 2)),
      clicksWritten: written,
      clicksWrittenWithinMs: round(performance.now() - waitStarted),
      target: TARGET,
      meetsTarget:
        RATE >= TARGET.ratePerSecond &&
        achieved >= 0.99 * RATE &&
        redirected.length === requests &&
        latency.p99 <= TARGET.p99Ms,
    });
  } finally {
    await server.stop();
  }
} finally {
  await db.$disconnect();
}

/** Waits (at most 15 s) until the batches have written `expected` clicks of these messages; the count. */
async function waitForClicks(messageIds: string[], expected: number): Promise<number> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const n = await countClicks(messageIds);
    if (n >= expected || Date.now() > deadline) return n;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The pids whose parent is `pid` (the cluster workers of a web server started with WEB_WORKERS > 1). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}
