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
 *    own SQL functions, set-based, which takes about 10 minutes for ten million), anchored in anchors
 *    of a million rows, then verifyEvidence (what npm run verify-evidence and GET /v1/evidence/verify
 *    run) over all of them: seconds, rows per second, PostgreSQL's CPU and this process's peak
 *    memory. Target: 10,000,000 rows in 60 s or less.
 */
import { generateKeyPairSync } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { createPrismaClient, type Db } from '@herald/db';
import { verifyEvidence, writeAnchor } from '@herald/preferences';
import { createScratchDatabase } from '@herald/test-support';
import { type ConsentWritePhase, measureConsentWrites, postgresCpuMs } from './lib/consent-writes.js';
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
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const anchorStart = performance.now();
  let anchoredRows = 0;
  let anchorCount = 0;
  for (;;) {
    const anchor = await writeAnchor(db, { privateKey, keyId: 'bench' }, { maxRows: 1_000_000 });
    anchoredRows += anchor?.rowCount ?? 0;
    anchorCount += anchor ? 1 : 0;
    log(`anchored ${anchoredRows} rows`);
    if (!anchor?.more) break;
  }
  const anchorSeconds = (performance.now() - anchorStart) / 1000;
  log(`${anchorCount} anchors over ${anchoredRows} rows in ${round(anchorSeconds, 1)} s; verifying …`);
  const cpuBefore = postgresCpuMs();
  // This process's memory while it verifies (the anchoring before held a million leaves at a time).
  const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
  let peakRssMb = rssBeforeMb;
  const sampler = setInterval(
    () => (peakRssMb = Math.max(peakRssMb, process.memoryUsage().rss / 2 ** 20)),
    100,
  );
  const report = await verifyEvidence(db, {
    databaseUrl: DATABASE_URL,
    from: new Date('2000-01-01T00:00:00Z'),
    to: new Date(Date.now() + 3_600_000),
    publicKeys: new Map([['bench', publicKey]]),
  });
  clearInterval(sampler);
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
      postgresCpuSeconds: round((postgresCpuMs() - cpuBefore) / 1000, 2),
      rssBeforeMb: round(rssBeforeMb),
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
