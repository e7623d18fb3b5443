/**
 * Issue 3's benchmark: RFC 8058 one-click (`POST /u/:token`) through the built web server
 * (`node apps/web/server.js`, a Remix resource route), each request verifying its token and
 * unsubscribing in PostgreSQL with its consent-log row. autocannon on the same machine, 50
 * connections for 20 s, cycling over 5,000 contacts × 3 promotional categories so the requests
 * write different rows (a later pass over a token is an idempotent no-op, as a provider's retry
 * is). Runs once with one server process and once with WEB_WORKERS=2 (one per core), each on
 * its own fresh contacts. Target on 2 cores: ≥ 1,000 requests/s and p99 ≤ 50 ms.
 * Options: BENCH_CONNECTIONS, BENCH_SECONDS, BENCH_CONTACTS, BENCH_WEB_WORKERS (e.g. "1,2").
 */
import { createPrismaClient } from '@herald/db';
import { parseSigningKeys, signToken } from '@herald/preferences';
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { freePort } from './lib/herald-processes.js';
import { writeResult } from './lib/results.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/herald_bench';
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 5000);
const WEB_WORKERS = (process.env.BENCH_WEB_WORKERS ?? '1,2').split(',').map(Number);
const CATEGORIES = ['newsletter', 'product-news', 'promotions'];
const WEB_DIR = fileURLToPath(new URL('../apps/web/', import.meta.url));

const secret = `oc:${randomBytes(32).toString('base64url')}`;
const keys = parseSigningKeys(secret);
const db = createPrismaClient({ databaseUrl: DATABASE_URL });

/** Fresh contacts and one token per contact and category, category-major (one pass per category). */
async function prepareTokens() {
  const run = randomBytes(4).toString('hex');
  await db.contact.createMany({
    data: Array.from({ length: CONTACTS }, (_, i) => ({ email: `one-click-${run}-${i}@example.test` })),
  });
  const contacts = await db.contact.findMany({
    where: { email: { startsWith: `one-click-${run}-` } },
    select: { id: true },
  });
  const paths = CATEGORIES.flatMap((categoryKey) =>
    contacts.map(
      ({ id }) =>
        `/u/${signToken({ contactId: id, scope: { kind: 'category', categoryKey }, messageId: randomUUID() }, keys)}`,
    ),
  );
  return { contactIds: contacts.map((contact) => contact.id), paths };
}

async function measure(webWorkers: number) {
  console.error(`preparing ${CONTACTS} contacts …`);
  const { contactIds, paths } = await prepareTokens();
  const port = await freePort();
  const server = spawn(process.execPath, ['server.js'], {
    cwd: WEB_DIR,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL,
      HERALD_SECRET: secret,
      HERALD_API_KEY: `bench-${randomBytes(12).toString('hex')}`,
      HERALD_QUEUE_PREFIX: `bench-oc-${randomBytes(3).toString('hex')}`,
      WEB_PORT: String(port),
      WEB_WORKERS: String(webWorkers),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForServer(url);
    let next = 0;
    const load = (seconds: number) =>
      autocannon({
        url,
        connections: CONNECTIONS,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              'user-agent': 'bench-mail-provider/1.0',
            },
            body: 'List-Unsubscribe=One-Click',
            setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] as string }),
          },
        ],
      });
    console.error(`web processes: ${webWorkers}; warming up for 3 s …`);
    await load(3);
    console.error(`${CONNECTIONS} connections for ${SECONDS} s …`);
    const result = await load(SECONDS);
    const logged = await db.consentLogEntry.count({
      where: { contactId: { in: contactIds }, source: 'one_click' },
    });
    return {
      webProcesses: webWorkers,
      requests: result.requests.total,
      requestsPerSecond: result.requests.average,
      latencyMs: {
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
        mean: result.latency.mean,
      },
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      // Writes (first pass over a token) and idempotent repeats are both in the mix.
      consentLogRowsWritten: logged,
      meetsTarget: result.requests.average >= 1000 && result.latency.p99 <= 50 && result.non2xx === 0,
    };
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  }
}

async function waitForServer(base: string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the web server did not start');
}

try {
  const runs = [];
  for (const webWorkers of WEB_WORKERS) runs.push(await measure(webWorkers));
  writeResult('one-click', {
    route: 'POST /u/:token (Remix resource route, built app, node apps/web/server.js)',
    loadGenerator: 'autocannon, same machine, closed loop',
    connections: CONNECTIONS,
    seconds: SECONDS,
    distinctTokens: CONTACTS * CATEGORIES.length,
    target: { requestsPerSecond: 1000, p99Ms: 50 },
    // With a closed loop, mean latency = connections / throughput (Little's law): 50 connections
    // at 1,000 requests/s average 50 ms, so p99 ≤ 50 ms needs well over 1,000 requests/s.
    meanLatencyFloorAt1000RpsMs: CONNECTIONS,
    runs,
  });
} finally {
  await db.$disconnect();
}
