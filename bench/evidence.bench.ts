/**
 * The tamper-evident consent log's costs (decision 023).
 *
 * 1. Consent writes with the chain on and off: BENCH_EVIDENCE_WRITES (3,000) one-click unsubscribes
 *    (applyUnsubscribe: the consent write with its log row, 16 at a time, each for a contact of its
 *    own, as in lists.bench.ts) in the benchmark database (chain on), and as many in a scratch copy of
 *    it where the chain is off: its trigger disabled and its three indexes dropped, the consent log as
 *    it was before the migration. Two rounds of each, alternating. Writes per second and the
 *    database's CPU per write.
 * 2. Bulk writes: BENCH_EVIDENCE_ROWS (200,000) rows in INSERT … SELECT statements of 50,000 (as the
 *    bulk import writes), over BENCH_EVIDENCE_CONTACTS (20,000) contacts, through the trigger.
 * 3. Verification: the log filled up to BENCH_EVIDENCE_VERIFY_ROWS (10,000,000) rows, ten for each
 *    of a tenth as many new contacts (bench/lib/seed-consent-chains.ts: chained by the migration's
 *    own SQL functions, set-based, about 10 minutes for ten million; a benchmark database that holds
 *    enough rows already is not filled again), anchored in anchors of a million rows, vacuumed and
 *    checkpointed, then `npm run verify-evidence -- --json` over every row in a process of its own
 *    (what GET /v1/evidence/verify runs too): seconds, rows per second, PostgreSQL's CPU and the
 *    verifier's peak memory. Target: 10,000,000 rows in 60 s or less.
 */
import { spawn } from 'node:child_process';
import { type KeyObject, randomBytes } from 'node:crypto';
import { DEVELOPMENT_EVIDENCE_KEY, parseEvidenceKey } from '@herald/config';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EvidenceReport } from '@herald/preferences';
import { createPrismaClient, type Db } from '@herald/db';
import { writeAnchor } from '@herald/preferences';
import { createScratchDatabase } from '@herald/test-support';
import { type ConsentWritePhase, measureConsentWrites } from './lib/consent-writes.js';
import { cpuMs, pidsOf } from './lib/process-cpu.js';
import { writeResult } from './lib/results.js';
import { seedConsentChains } from './lib/seed-consent-chains.js';
import { round } from './lib/stats.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/herald_bench';
const WRITES = Number(process.env.BENCH_EVIDENCE_WRITES ?? 3_000);
const ROWS = Number(process.env.BENCH_EVIDENCE_ROWS ?? 200_000);
const CONTACTS = Number(process.env.BENCH_EVIDENCE_CONTACTS ?? 20_000);
const VERIFY_ROWS = Number(process.env.BENCH_EVIDENCE_VERIFY_ROWS ?? 10_000_000);
const TARGET = { rows: 10_000_000, seconds: 60 };

const log = (message: string) =>
  console.error(`[evidence ${new Date().toISOString().slice(11, 19)}] ${message}`);
const run = randomBytes(3).toString('hex');

type Phase = ConsentWritePhase;

async function writes(db: Db, label: string): Promise<Phase> {
  return measureConsentWrites(db, {
    category: `bench-ev-${label}-${run}`,
    emailPrefix: `ev-${label}-${run}`,
    count: WRITES,
  });
}

const postgresPids = () => pidsOf(['postgres', '/usr/lib/postgresql/']);

/**
 * `npm run verify-evidence -- --json` over every row, as an operator runs it, in a process of its
 * own: its report, its exit code, its peak memory (VmRSS of the process, threads included, sampled
 * every 100 ms) and PostgreSQL's CPU meanwhile.
 */
async function verifyInChild(
  publicKey: KeyObject,
): Promise<{ report: EvidenceReport; peakRssMb: number; exitCode: number | null; postgresCpuMs: number }> {
  const directory = mkdtempSync(join(tmpdir(), 'herald-evidence-'));
  const keyFile = join(directory, 'key.pem');
  writeFileSync(keyFile, publicKey.export({ type: 'spki', format: 'pem' }));
  const to = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/verify-evidence.ts',
      '--from',
      '2000-01-01',
      '--to',
      to,
      '--public-key',
      keyFile,
      '--json',
    ],
    { env: { ...process.env, DATABASE_URL }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  let peakRssMb = 0;
  // PostgreSQL's CPU while it runs, sampled as it goes: the verifier's backend ends with it.
  const postgresBefore = new Map(postgresPids().map((pid) => [pid, cpuMs(pid)]));
  const postgresLast = new Map<number, number>();
  const samplePostgres = () => {
    for (const pid of postgresPids()) postgresLast.set(pid, cpuMs(pid));
  };
  const sampler = setInterval(() => {
    samplePostgres();
    try {
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
      peakRssMb = Math.max(peakRssMb, Number(kb ?? 0) / 1024);
    } catch {
      // ended meanwhile
    }
  }, 100);
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(sampler);
  samplePostgres();
  let postgresCpuMs = 0;
  for (const [pid, ms] of postgresLast) postgresCpuMs += ms - (postgresBefore.get(pid) ?? 0);
  rmSync(directory, { recursive: true, force: true });
  return { report: JSON.parse(output) as EvidenceReport, peakRssMb, exitCode, postgresCpuMs };
}

const mean = (phases: Phase[]): Phase => ({
  writesPerSecond: round(phases.reduce((sum, p) => sum + p.writesPerSecond, 0) / phases.length),
  msPerWrite: round(phases.reduce((sum, p) => sum + p.msPerWrite, 0) / phases.length, 3),
  postgresCpuMsPerWrite: round(
    phases.reduce((sum, p) => sum + p.postgresCpuMsPerWrite, 0) / phases.length,
    3,
  ),
});

const db = createPrismaClient({ databaseUrl: DATABASE_URL, maxConnections: 16 });
const scratch = await createScratchDatabase(DATABASE_URL, 'bench_ev');
const off = createPrismaClient({ databaseUrl: scratch.url, maxConnections: 16 });
try {
  // ── 1. Consent writes, chain on and off ──────────────────────────────────────────────────────
  await off.$executeRawUnsafe('ALTER TABLE consent_log DISABLE TRIGGER consent_log_link');
  for (const index of [
    'consent_log_contact_id_evidence_seq_key',
    'consent_log_contact_id_prev_hash_key',
    'consent_log_evidence_seq_key',
  ]) {
    await off.$executeRawUnsafe(`DROP INDEX "${index}"`);
  }
  const rounds: { on: Phase[]; off: Phase[] } = { on: [], off: [] };
  for (const pass of [1, 2]) {
    log(`consent writes, round ${pass}: ${WRITES} with the chain off …`);
    rounds.off.push(await writes(off, `off${pass}`));
    log(`consent writes, round ${pass}: ${WRITES} with the chain on …`);
    rounds.on.push(await writes(db, `on${pass}`));
  }
  const chainOn = mean(rounds.on);
  const chainOff = mean(rounds.off);
  log(`on ${JSON.stringify(chainOn)}, off ${JSON.stringify(chainOff)}`);

  // ── 2. Bulk writes through the trigger ───────────────────────────────────────────────────────
  await db.contact.createMany({
    data: Array.from({ length: CONTACTS }, (_, i) => ({ email: `evb-${run}-${i}@example.test` })),
  });
  const bulkStart = performance.now();
  for (let written = 0; written < ROWS; written += 50_000) {
    const count = Math.min(50_000, ROWS - written);
    await db.$executeRaw`
      WITH c AS (SELECT array_agg(id ORDER BY id) AS ids FROM contacts WHERE email LIKE ${`evb-${run}-%`})
      INSERT INTO consent_log (contact_id, action, source, actor, reason, user_agent, ip_hash)
      SELECT c.ids[1 + g % array_length(c.ids, 1)], CASE WHEN g % 2 = 0 THEN 'subscribe' ELSE 'unsubscribe' END::"ConsentAction",
             'import', 'bench', 'bench row ' || g, 'Mozilla/5.0 Bench', md5(g::text) || md5(g::text)
        FROM c, generate_series(1, ${count}::int) AS g`;
    log(`bulk: ${written + count} of ${ROWS} rows`);
  }
  const bulkSeconds = (performance.now() - bulkStart) / 1000;

  // ── 3. Fill, anchor and verify ───────────────────────────────────────────────────────────────
  const [{ count: existing } = { count: 0n }] = await db.$queryRaw<{ count: bigint }[]>`
    SELECT count(*)::int8 AS count FROM consent_log`;
  const seedContacts = Math.max(0, Math.ceil((VERIFY_ROWS - Number(existing)) / 10));
  if (seedContacts > 0) {
    const seedStart = performance.now();
    await seedConsentChains(DATABASE_URL, {
      contacts: seedContacts,
      rounds: 10,
      prefix: `evs-${run}`,
      progress: (rows) => log(`filling the log: ${rows} of ${seedContacts * 10} rows`),
    });
    log(`filled in ${round((performance.now() - seedStart) / 1000, 1)} s`);
  }
  // The development key: the verifier names anchors' keys by their id, and a benchmark database
  // filled by an earlier run was anchored with the same key.
  const { privateKey, publicKey, keyId } = parseEvidenceKey(DEVELOPMENT_EVIDENCE_KEY);
  const anchorStart = performance.now();
  let anchoredRows = 0;
  let anchorCount = 0;
  for (;;) {
    const anchor = await writeAnchor(db, { privateKey, keyId }, { maxRows: 1_000_000 });
    anchoredRows += anchor?.rowCount ?? 0;
    anchorCount += anchor ? 1 : 0;
    log(`anchored ${anchoredRows} rows`);
    if (!anchor?.more) break;
  }
  const anchorSeconds = (performance.now() - anchorStart) / 1000;
  log(`${anchorCount} anchors over ${anchoredRows} rows in ${round(anchorSeconds, 1)} s; verifying …`);
  // The rows just written would otherwise be vacuumed and checkpointed while the verifier runs,
  // on the same two cores: settle them first, as a log verified later has long been.
  await db.$executeRawUnsafe('VACUUM ANALYZE consent_log');
  await db.$executeRawUnsafe('CHECKPOINT');
  const { report, peakRssMb, exitCode, postgresCpuMs } = await verifyInChild(publicKey);
  const postgresCpuSeconds = postgresCpuMs / 1000;
  const rowsPerSecond = round(report.rows / report.seconds);
  const projected = round(TARGET.rows / rowsPerSecond, 1);

  writeResult('evidence', {
    command: 'BENCH_ONLY=evidence npm run bench (bench/evidence.bench.ts)',
    consentWrites: {
      writes: WRITES,
      concurrency: 16,
      chainOn,
      chainOff,
      rounds,
      ratio: round(chainOn.writesPerSecond / chainOff.writesPerSecond, 2),
      extraMsPerWrite: round(chainOn.msPerWrite - chainOff.msPerWrite, 3),
      extraPostgresCpuMsPerWrite: round(chainOn.postgresCpuMsPerWrite - chainOff.postgresCpuMsPerWrite, 3),
    },
    bulkWrites: {
      rows: ROWS,
      contacts: CONTACTS,
      seconds: round(bulkSeconds, 2),
      rowsPerSecond: round(ROWS / bulkSeconds),
    },
    anchors: { anchors: anchorCount, rows: anchoredRows, seconds: round(anchorSeconds, 2) },
    verification: {
      ok: report.ok,
      rows: report.rows,
      anchors: report.anchors,
      seconds: round(report.seconds, 2),
      rowsPerSecond,
      exitCode,
      postgresCpuSeconds: round(postgresCpuSeconds, 2),
      peakRssMb: round(peakRssMb),
      secondsFor10MillionRows: projected,
      target: `${TARGET.rows} rows in ≤ ${TARGET.seconds} s`,
      meetsTarget: projected <= TARGET.seconds,
    },
  });
  if (!report.ok) throw new Error(`verification failed: ${JSON.stringify(report.firstProblem)}`);
} finally {
  await off.$disconnect();
  await db.$disconnect();
  await scratch.drop();
}
