/**
 * Issue 14's benchmarks: lists in and out, on the built processes.
 *
 * 1. Import: a CSV of BENCH_IMPORT_ROWS new addresses (20,000), each subscribed to a category, through
 *    `POST /v1/imports?background=true` (the API stages it) and one worker (it applies it). Rows per
 *    second for each part, and the worker's peak resident memory while it applies them (sampled
 *    from /proc every 100 ms; the worker runs as `npm run start:worker` runs it, heap capped at 256 MB),
 *    with the CPU each process spent per 1,000 rows (the API and PostgreSQL while staging, the worker
 *    and PostgreSQL while applying). Target: 20,000 rows/s end to end with the worker at most 200 MB.
 * 2. Outbound webhooks: BENCH_OUTBOX_EVENTS (20,000) events written to the outbox, each for a contact
 *    of its own, delivered by one worker to a local HTTP receiver that answers 204 at once. Events
 *    per second from the first event received to the last (and the time with the worker's boot).
 *    Target: 2,000/s.
 * 3. The cost of the outbox on a consent write: BENCH_CONSENT_WRITES (5,000) one-click unsubscribes
 *    (applyUnsubscribe, the consent write with its log row, 16 at a time) with no webhook endpoint,
 *    then as many with an endpoint that wants the event (the trigger inserts two outbox rows), two
 *    rounds of each, alternating. The difference per write, in wall time and in the database's CPU,
 *    is the outbox's cost.
 * 4. The same on the message-status path: BENCH_CONSENT_WRITES messages marked sent one statement at a
 *    time (16 at once), without and with an endpoint that wants message.sent (the trigger's EXISTS
 *    look-up runs on every status change; the insert only when an endpoint wants the event).
 */
import { createPrismaClient } from '@herald/db';
import { startHerald, workerNodeArgs } from '@herald/test-support';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { measureConsentWrites, postgresCpuMs } from './lib/consent-writes.js';
import { cpuMs } from './lib/process-cpu.js';
import { writeResult } from './lib/results.js';
import { round } from './lib/stats.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/herald_bench';
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 20_000);
const OUTBOX_EVENTS = Number(process.env.BENCH_OUTBOX_EVENTS ?? 20_000);
const CONSENT_WRITES = Number(process.env.BENCH_CONSENT_WRITES ?? 5_000);
const TARGET = { importRowsPerSecond: 20_000, importWorkerPeakRssMb: 200, webhookEventsPerSecond: 2_000 };

const db = createPrismaClient({ databaseUrl: DATABASE_URL, maxConnections: 16 });
const log = (message: string) =>
  console.error(`[lists ${new Date().toISOString().slice(11, 19)}] ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resident memory of a process in MB (VmRSS), 0 once it is gone. */
function rssMb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

interface Phase {
  writesPerSecond: number;
  msPerWrite: number;
  postgresCpuMsPerWrite: number;
}

const run = randomBytes(3).toString('hex');
const herald = await startHerald({ workers: 0, env: { DATABASE_URL, WEBHOOK_POLL_MS: '50' } });
const results: Record<string, unknown> = {};
try {
  // ── 1. Import ────────────────────────────────────────────────────────────────────────────────
  const csv = `email,name,attr.plan\n${Array.from(
    { length: IMPORT_ROWS },
    (_, i) => `imp-${run}-${i}@example.test,Person ${i},${i % 3 ? 'free' : 'pro'}`,
  ).join('\n')}\n`;
  log(`import: staging ${IMPORT_ROWS} rows …`);
  const query = new URLSearchParams({ categories: 'newsletter', basis: 'bench import', background: 'true' });
  const apiPid = herald.apis[0]?.child.pid;
  const stageCpu = { api: cpuMs(apiPid), postgres: postgresCpuMs() };
  const stageStart = performance.now();
  const staged = await fetch(`${herald.apiUrl}/v1/imports?${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${herald.apiKey}`, 'content-type': 'text/csv' },
    body: csv,
  });
  const stagedBody = (await staged.json()) as { id: string; totalRows: number };
  const stageSeconds = (performance.now() - stageStart) / 1000;
  const stageCpuMsPer1000Rows = {
    api: round(((cpuMs(apiPid) - stageCpu.api) * 1000) / IMPORT_ROWS, 1),
    postgres: round(((postgresCpuMs() - stageCpu.postgres) * 1000) / IMPORT_ROWS, 1),
  };
  if (staged.status !== 202)
    throw new Error(`staging answered ${staged.status}: ${JSON.stringify(stagedBody)}`);
  log(`import: applying with one worker …`);
  const applyStart = performance.now();
  // As `npm run start:worker` runs it (the README's way to run a worker): heap capped at 256 MB, a
  // young generation of 8 MB semi-spaces.
  const worker = herald.startWorker(workerNodeArgs());
  const applyCpu = { postgres: postgresCpuMs() };
  let workerCpu = 0;
  let peakRss = 0;
  let view: Record<string, unknown> = {};
  for (;;) {
    peakRss = Math.max(peakRss, rssMb(worker.child.pid));
    workerCpu = Math.max(workerCpu, cpuMs(worker.child.pid));
    view = (await herald.client.call('GET', `/v1/imports/${stagedBody.id}`)).body;
    if (view.status === 'finished') break;
    await sleep(100);
  }
  const applySeconds = (performance.now() - applyStart) / 1000;
  workerCpu = Math.max(workerCpu, cpuMs(worker.child.pid));
  const applyCpuMsPer1000Rows = {
    // The worker's figure includes its start (about a second of CPU) on top of the rows.
    worker: round((workerCpu * 1000) / IMPORT_ROWS, 1),
    postgres: round(((postgresCpuMs() - applyCpu.postgres) * 1000) / IMPORT_ROWS, 1),
  };
  await herald.stopWorkers();
  results.import = {
    rows: IMPORT_ROWS,
    stageSeconds: round(stageSeconds, 2),
    stageRowsPerSecond: round(IMPORT_ROWS / stageSeconds),
    stageCpuMsPer1000Rows,
    applySeconds: round(applySeconds, 2),
    applyRowsPerSecond: round(IMPORT_ROWS / applySeconds),
    applyCpuMsPer1000Rows,
    endToEndRowsPerSecond: round(IMPORT_ROWS / (stageSeconds + applySeconds)),
    workerPeakRssMb: round(peakRss),
    workerNodeArgs: `${workerNodeArgs().join(' ')} (npm run start:worker)`,
    counts: view.counts,
    target: { rowsPerSecond: TARGET.importRowsPerSecond, workerPeakRssMb: TARGET.importWorkerPeakRssMb },
  };
  log(JSON.stringify(results.import));

  // ── 2. Outbound webhooks ─────────────────────────────────────────────────────────────────────
  const received = new Set<string>();
  let firstAt = 0;
  let lastAt = 0;
  const receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received.add(String(request.headers['webhook-id']));
      lastAt = performance.now();
      firstAt ||= lastAt;
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const endpoint = await db.webhookEndpoint.create({
    data: {
      url: `http://127.0.0.1:${port}/hook`,
      events: ['contact.unsubscribed'],
      secret: `whsec_${randomBytes(32).toString('base64')}`,
      description: `bench ${run}`,
    },
  });
  log(`webhooks: ${OUTBOX_EVENTS} events in the outbox …`);
  await db.$executeRaw`
    INSERT INTO webhook_outbox (event_type, contact_id, payload)
    SELECT 'contact.unsubscribed', gen_random_uuid(), jsonb_build_object('n', i)
      FROM generate_series(1, ${OUTBOX_EVENTS}::int) AS i`;
  const webhookStart = performance.now();
  herald.startWorker();
  const webhookDeadline = Date.now() + 10 * 60_000;
  while (received.size < OUTBOX_EVENTS && Date.now() < webhookDeadline) await sleep(50);
  const webhookSeconds = (lastAt - firstAt) / 1000;
  const withBootSeconds = (lastAt - webhookStart) / 1000;
  await herald.stopWorkers();
  results.webhooks = {
    events: OUTBOX_EVENTS,
    received: received.size,
    seconds: round(webhookSeconds, 2),
    eventsPerSecond: round(received.size / webhookSeconds),
    measuredFrom: 'the first event received to the last',
    withWorkerBootSeconds: round(withBootSeconds, 2),
    target: TARGET.webhookEventsPerSecond,
  };
  log(JSON.stringify(results.webhooks));
  await db.webhookEndpoint.update({ where: { id: endpoint.id }, data: { disabledAt: new Date() } });
  receiver.close();

  // ── 3. The outbox's cost on a consent write ──────────────────────────────────────────────────
  const writes = (label: string): Promise<Phase> =>
    measureConsentWrites(db, {
      category: `bench-${label}-${run}`,
      emailPrefix: `cw-${label}-${run}`,
      count: CONSENT_WRITES,
    });

  // Two rounds each, alternating, so neither side has the warmer cache or the emptier tables.
  const endpointWants = (on: boolean) =>
    db.webhookEndpoint.update({
      where: { id: endpoint.id },
      data: on
        ? { disabledAt: null, events: ['contact.unsubscribed', 'preferences.changed'] }
        : { disabledAt: new Date() },
    });
  const rounds: { without: Phase[]; with: Phase[] } = { without: [], with: [] };
  for (const pass of [1, 2]) {
    await endpointWants(false);
    log(`consent writes, round ${pass}: ${CONSENT_WRITES} without an endpoint …`);
    rounds.without.push(await writes(`plain${pass}`));
    await endpointWants(true);
    log(`consent writes, round ${pass}: ${CONSENT_WRITES} with an endpoint that wants them …`);
    rounds.with.push(await writes(`outbox${pass}`));
  }
  const mean = (phases: Phase[]): Phase => ({
    writesPerSecond: round(phases.reduce((sum, p) => sum + p.writesPerSecond, 0) / phases.length),
    msPerWrite: round(phases.reduce((sum, p) => sum + p.msPerWrite, 0) / phases.length, 3),
    postgresCpuMsPerWrite: round(
      phases.reduce((sum, p) => sum + p.postgresCpuMsPerWrite, 0) / phases.length,
      3,
    ),
  });
  const without = mean(rounds.without);
  const withOutbox = mean(rounds.with);
  const outboxRows = await db.webhookOutbox.count();
  results.consentWriteCost = {
    writes: CONSENT_WRITES,
    concurrency: 16,
    withoutEndpoint: without,
    withEndpoint: withOutbox,
    rounds,
    outboxRowsWritten: outboxRows,
    extraMsPerWrite: round(withOutbox.msPerWrite - without.msPerWrite, 3),
    extraPostgresCpuMsPerWrite: round(withOutbox.postgresCpuMsPerWrite - without.postgresCpuMsPerWrite, 3),
    ratio: round(withOutbox.writesPerSecond / without.writesPerSecond, 2),
  };

  // ── 4. The outbox on the message-status path (a delivery recorded as sent) ──────────────────
  const template = await db.template.findFirstOrThrow({
    where: { key: 'service-notice', locale: null },
    orderBy: { version: 'desc' },
  });
  const statusUpdates = async (label: string): Promise<Phase> => {
    const ids = await db.$queryRaw<{ id: string }[]>`
      WITH c AS (
        INSERT INTO contacts (id, email, updated_at)
        SELECT herald_uuid7(), ${`ms-${label}-${run}-`} || i || '@example.test', now()
          FROM generate_series(1, ${CONSENT_WRITES + 200}::int) AS i
        RETURNING id)
      INSERT INTO messages (id, contact_id, template_id, category_key, class, status, attempts, updated_at)
      SELECT herald_uuid7(), c.id, ${template.id}::uuid, ${template.categoryKey}, 'transactional', 'sending', 1, now()
        FROM c
      RETURNING id::text`;
    const sent = (id: string) =>
      db.$executeRaw`UPDATE messages SET status = 'sent', sent_at = now(), updated_at = now() WHERE id = ${id}::uuid`;
    for (const { id } of ids.splice(0, 200)) await sent(id);
    const cpuBefore = postgresCpuMs();
    const start = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < ids.length) await sent((ids[next++] as { id: string }).id);
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    return {
      writesPerSecond: round(CONSENT_WRITES / seconds),
      msPerWrite: round((seconds * 1000) / CONSENT_WRITES, 3),
      postgresCpuMsPerWrite: round((postgresCpuMs() - cpuBefore) / CONSENT_WRITES, 3),
    };
  };
  const statusRounds: { without: Phase[]; with: Phase[] } = { without: [], with: [] };
  for (const pass of [1, 2]) {
    await db.webhookEndpoint.update({ where: { id: endpoint.id }, data: { disabledAt: new Date() } });
    log(`message status, round ${pass}: ${CONSENT_WRITES} marked sent without an endpoint …`);
    statusRounds.without.push(await statusUpdates(`plain${pass}`));
    await db.webhookEndpoint.update({
      where: { id: endpoint.id },
      data: { disabledAt: null, events: ['message.sent'] },
    });
    log(`message status, round ${pass}: ${CONSENT_WRITES} marked sent with an endpoint that wants them …`);
    statusRounds.with.push(await statusUpdates(`outbox${pass}`));
  }
  const statusWithout = mean(statusRounds.without);
  const statusWith = mean(statusRounds.with);
  results.messageStatusCost = {
    updates: CONSENT_WRITES,
    concurrency: 16,
    withoutEndpoint: statusWithout,
    withEndpoint: statusWith,
    rounds: statusRounds,
    extraMsPerUpdate: round(statusWith.msPerWrite - statusWithout.msPerWrite, 3),
    extraPostgresCpuMsPerUpdate: round(
      statusWith.postgresCpuMsPerWrite - statusWithout.postgresCpuMsPerWrite,
      3,
    ),
    ratio: round(statusWith.writesPerSecond / statusWithout.writesPerSecond, 2),
  };

  await db.webhookEndpoint.delete({ where: { id: endpoint.id } });
  await db.webhookOutbox.deleteMany({});

  writeResult('lists', {
    command: 'npm run bench (bench/lists.bench.ts); BENCH_ONLY=lists npm run bench for this one',
    ...results,
  });
} finally {
  await herald.stop();
  await herald.flushQueuePrefix();
  await db.$disconnect();
}
