/**
 * Policy announcement benchmark (issue 5), through the built API and worker processes: announce a
 * version to BENCH_POLICY_CONTACTS contacts (1% without an address, 1% whose address bounces) and
 * measure the time from the announce call until every reachable contact's notice has reached the
 * SMTP server (a process of its own, bench/lib/smtp-sink-process.ts); also the fan-out's share of it, the coverage report's latency over that many
 * notices, and that a second announce sends nothing. It uses a database of its own (the benchmark
 * database's name + `_policy`): an announcement reaches every contact in its database, and the other
 * benchmarks leave a million contacts behind.
 * Options: BENCH_POLICY_CONTACTS (100,000), BENCH_POLICY_WORKERS (2).
 */
import { createPrismaClient, Prisma } from '@herald/db';
import { REPO_ROOT, startHerald } from '@herald/test-support';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { writeResult } from './lib/results.js';
import { runWithHerald } from './lib/run-with-herald.js';
import { startSmtpSink } from './lib/start-smtp-sink.js';
import { round, summarize } from './lib/stats.js';

const CONTACTS = Number(process.env.BENCH_POLICY_CONTACTS ?? 100_000);
const WORKERS = Number(process.env.BENCH_POLICY_WORKERS ?? 2);
const server = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/herald_bench');
const DATABASE_URL = Object.assign(new URL(server), { pathname: `${server.pathname}_policy` }).toString();
const ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney'];

const log = (message: string) =>
  console.error(`[policy ${new Date().toISOString().slice(11, 19)}] ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fresh database, migrated and seeded as `npm run bench` prepares its own. */
async function prepareDatabase(): Promise<void> {
  const run = (command: string, args: string[]) =>
    promisify(execFile)(command, args, { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL } });
  await run(process.execPath, ['scripts/create-database.mjs', DATABASE_URL, '--reset']);
  await run('npx', ['prisma', 'migrate', 'deploy']);
  await run('npx', ['prisma', 'db', 'seed']);
}

log(`preparing ${new URL(DATABASE_URL).pathname.slice(1)}`);
await prepareDatabase();
const db = createPrismaClient({ databaseUrl: DATABASE_URL, maxConnections: 2 });
const run = randomBytes(3).toString('hex');
log(`seeding ${CONTACTS} contacts`);
// Every hundredth contact has no address (in-app notice only), every hundredth + 1 an address that bounces.
await db.$executeRaw(Prisma.sql`
  INSERT INTO contacts (id, email, external_id, name, timezone, updated_at)
  SELECT herald_uuid7(),
         CASE WHEN g % 100 = 0 THEN NULL
              WHEN g % 100 = 1 THEN 'bounce-' || ${run} || '-' || g || '@example.test'
              ELSE 'p-' || ${run} || '-' || g || '@example.test' END,
         'ext-' || ${run} || '-' || g, 'Reader ' || g,
         (${ZONES}::text[])[1 + g % ${ZONES.length}], now()
    FROM generate_series(1, ${CONTACTS}::int) AS g`);
await db.$executeRaw`ANALYZE contacts`;

const sink = await startSmtpSink({ bouncePrefix: 'bounce-' });
const received = sink.received;
/** Every acceptance by the SMTP server, repeats included. */
const receipts = () => [...received.values()].reduce((sum, times) => sum + times, 0);
const herald = await startHerald({ workers: WORKERS, env: { DATABASE_URL, SMTP_URL: sink.smtpUrl } });

await runWithHerald(herald, sink, async () => {
  const created = await herald.client.call('POST', '/v1/policies', {
    version: `bench-${run}`,
    title: 'Privacy Policy',
    summary:
      'We now keep support conversations for 12 months instead of 24, and we list every service provider that processes your data.',
    url: 'https://example.com/legal/privacy/bench',
    effectiveAt: new Date(Date.now() + 40 * 24 * 60 * 60 * 1000).toISOString(),
  });
  if (created.status !== 201) throw new Error(`policy not created: ${JSON.stringify(created.body)}`);
  const policyId = created.body.id as string;

  log(`announcing to ${CONTACTS} contacts with ${WORKERS} worker(s)`);
  const start = Date.now();
  const announced = await herald.client.call('POST', `/v1/policies/${policyId}/announce`, {});
  if (announced.status !== 202) throw new Error(`not announced: ${JSON.stringify(announced.body)}`);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answer
  let coverage: any;
  for (;;) {
    coverage = (await herald.client.call('GET', `/v1/policies/${policyId}/coverage`)).body;
    if (coverage.fanOutDone && coverage.awaitingNotice === 0 && coverage.pending === 0) break;
    if (Date.now() - start > 20 * 60_000) throw new Error(`not done: ${JSON.stringify(coverage)}`);
    await sleep(500);
  }
  const version = await db.policyVersion.findUniqueOrThrow({ where: { id: policyId } });
  const deliveredSeconds = (sink.lastHeraldReceipt() - start) / 1000;
  log(`delivered in ${round(deliveredSeconds, 1)} s: ${JSON.stringify(coverage)}`);

  const coverageLatency: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    await herald.client.call('GET', `/v1/policies/${policyId}/coverage`);
    coverageLatency.push(performance.now() - t);
  }

  const countBefore = receipts();
  const again = await herald.client.call('POST', `/v1/policies/${policyId}/announce`, {});
  await sleep(3000);
  const duplicates = receipts() - received.size;

  writeResult('policy', {
    command: 'npm run bench (bench/policy.bench.ts); BENCH_ONLY=policy npm run bench for this one',
    contacts: CONTACTS,
    workers: WORKERS,
    reachable: coverage.reachable,
    delivered: coverage.delivered,
    bounced: coverage.bounced,
    noAddress: coverage.noAddress,
    inAppOnly: coverage.inAppOnly,
    notifiedBeforeEffective: coverage.notifiedBeforeEffective,
    receivedBySmtpServer: received.size,
    duplicates,
    fanOutSeconds: round(((version.fannedOutAt as Date).getTime() - start) / 1000, 2),
    deliveredSeconds: round(deliveredSeconds, 2),
    deliveredPerSecond: round(coverage.delivered / deliveredSeconds),
    coverageLatencyMs: summarize(coverageLatency),
    secondAnnounce: {
      alreadyAnnounced: again.body.alreadyAnnounced,
      messagesSent: receipts() - countBefore,
    },
  });
}).finally(() => db.$disconnect());
