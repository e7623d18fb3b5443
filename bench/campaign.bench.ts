/**
 * Campaign benchmark (issue 4), through the built API and worker processes:
 *  (a) a 100,000-contact newsletter campaign through the whole path (scheduler, fan-out, Bull,
 *      worker decision, render, pooled SMTP, status written back): fan-out time, end-to-end
 *      messages/s, each worker's peak RSS;
 *  (b) bare pooled nodemailer, in as many processes of its own as Herald has workers (each with
 *      Herald's pool size), sending the campaign's rendered message to the same SMTP server process in
 *      the same run, before and after (a), and the ratio of (a) to their mean;
 *  (c) a 50,000-contact campaign with every worker killed (SIGKILL) twice, during the fan-out and
 *      half way through the sending, and started again: lost and duplicated messages;
 *  (d) a 1,000,000-contact fan-out by one freshly started worker, the campaign rate-limited to one
 *      message a second so that the fan-out is nearly all the worker does: fan-out time as the API
 *      reports it, and the worker's peak RSS.
 * The SMTP server runs in a process of its own (bench/lib/smtp-sink-process.ts).
 * Options: BENCH_CAMPAIGN_CONTACTS, BENCH_KILL_CONTACTS, BENCH_FANOUT_CONTACTS, BENCH_CAMPAIGN_WORKERS,
 * BENCH_BARE_MESSAGES, BENCH_WORKER_NODE_OPTIONS, BENCH_SKIP_KILL=1, BENCH_SKIP_MILLION=1.
 */
import { createPrismaClient, Prisma } from '@herald/db';
import { startHerald } from '@herald/test-support';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeResult } from './lib/results.js';
import { runWithHerald } from './lib/run-with-herald.js';
import { runBareNodemailer } from './lib/run-bare-nodemailer.js';
import { startSmtpSink } from './lib/start-smtp-sink.js';
import { round } from './lib/stats.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/herald_bench';
const CONTACTS = Number(process.env.BENCH_CAMPAIGN_CONTACTS ?? 100_000);
const MILLION = Number(process.env.BENCH_FANOUT_CONTACTS ?? 1_000_000);
const WORKERS = Number(process.env.BENCH_CAMPAIGN_WORKERS ?? 2);
const KILL = Number(process.env.BENCH_KILL_CONTACTS ?? 50_000);
const BARE = Number(process.env.BENCH_BARE_MESSAGES ?? 10_000);
const POOL = 5;
const WORKER_ENV = {
  SMTP_POOL_SIZE: String(POOL),
  CAMPAIGN_BATCH_SIZE: process.env.CAMPAIGN_BATCH_SIZE ?? '50',
  CAMPAIGN_CONCURRENCY: process.env.CAMPAIGN_CONCURRENCY ?? '2',
  FANOUT_BATCH_SIZE: process.env.FANOUT_BATCH_SIZE ?? '5000',
  WORKER_LEASE_MS: '5000',
};
// V8 sizes its heap from the machine's memory and collects lazily: a worker's live heap is ~60 MB,
// so a 256 MB cap keeps its RSS low for ~3% of throughput (decision 008).
const WORKER_NODE_ARGS = (process.env.BENCH_WORKER_NODE_OPTIONS ?? '--max-old-space-size=256')
  .split(' ')
  .filter(Boolean);
const NEWSLETTER = {
  headline: 'What we shipped in November',
  intro: 'Three releases this month: faster search, shared templates and a calmer inbox.',
  articles: [
    { title: 'Search is three times faster', summary: 'Results as you type.', url: 'https://example.com/a' },
    { title: 'Shared templates', summary: 'Start from a teammate’s document.', url: 'https://example.com/b' },
    {
      title: 'Digest notifications',
      summary: 'One email a day, at your hour.',
      url: 'https://example.com/c',
    },
  ],
};

const db = createPrismaClient({ databaseUrl: DATABASE_URL, maxConnections: 2 });
const run = randomBytes(3).toString('hex');
const log = (message: string) =>
  console.error(`[campaign ${new Date().toISOString().slice(11, 19)}] ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function seedContacts(part: string, count: number, bench = run): Promise<void> {
  for (let done = 0; done < count; done += 100_000) {
    const n = Math.min(100_000, count - done);
    await db.$executeRaw(Prisma.sql`
      INSERT INTO contacts (id, email, name, attributes, updated_at)
      SELECT herald_uuid7(), 'b-' || ${run} || '-' || ${part} || '-' || g || '@example.test', 'Reader ' || g,
             jsonb_build_object('bench', ${bench}::text, 'part', ${part}::text), now()
        FROM generate_series(${done + 1}::int, ${done + n}::int) AS g`);
  }
}

const sink = await startSmtpSink();
const received = sink.received;

log(`seeding ${CONTACTS} + ${KILL} + 1,000 contacts`);
await seedContacts('w', 1000, `${run}-warm-up`);
await seedContacts('a', CONTACTS);
if (process.env.BENCH_SKIP_KILL !== '1') await seedContacts('k', KILL);
await db.$executeRaw`ANALYZE contacts`;
const herald = await startHerald({
  workers: WORKERS,
  env: { DATABASE_URL, SMTP_URL: sink.smtpUrl, ...WORKER_ENV },
  workerNodeArgs: WORKER_NODE_ARGS,
});

async function createCampaign(name: string, part: string | null, bench = run, ratePerSecond?: number) {
  const response = await herald.client.call('POST', '/v1/campaigns', {
    name,
    template: 'newsletter',
    data: NEWSLETTER,
    audience: { categories: ['newsletter'], attributes: { bench, ...(part && { part }) } },
    sendAt: new Date().toISOString(),
    ...(ratePerSecond !== undefined && { ratePerSecond }),
  });
  if (response.status !== 201) throw new Error(`campaign not created: ${JSON.stringify(response.body)}`);
  return response.body.id as string;
}

/** A campaign as GET /v1/campaigns/:id answers it (the fields the benchmark reads). */
interface CampaignView {
  status: string;
  sendAt: string;
  counts: { targeted: number; sent: number };
  fanOut: { startedAt: string | null; completedAt: string | null };
}

async function waitUntil(id: string, done: (c: CampaignView) => boolean, timeoutMs = 900_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await herald.client.call('GET', `/v1/campaigns/${id}`);
    if (done(body as CampaignView)) return body as CampaignView;
    if (Date.now() > deadline) throw new Error(`campaign ${id} timed out: ${JSON.stringify(body)}`);
    await sleep(250);
  }
}

/** The fan-out's times as GET /v1/campaigns/:id reports them, once it has completed. */
function fanOutTimes(campaign: CampaignView) {
  const due = Date.parse(campaign.sendAt);
  const startedAt = Date.parse(campaign.fanOut.startedAt as string);
  const completedAt = Date.parse(campaign.fanOut.completedAt as string);
  return { startedAt, seconds: (completedAt - startedAt) / 1000, fromDueSeconds: (completedAt - due) / 1000 };
}

function peakRssMiB(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return round(Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]) / 1024);
  } catch {
    return NaN;
  }
}

/** Messages of a campaign: how many reached the SMTP server once, more than once, or never. */
async function delivery(id: string) {
  const rows = await db.$queryRaw<{ id: string; status: string }[]>`
    SELECT id::text, status::text FROM messages WHERE campaign_id = ${id}::uuid`;
  let duplicated = 0;
  let lost = 0;
  const statuses: Record<string, number> = {};
  for (const row of rows) {
    statuses[row.status] = (statuses[row.status] ?? 0) + 1;
    const times = received.get(row.id) ?? 0;
    if (times === 0) lost++;
    if (times > 1) duplicated += times - 1;
  }
  return { targeted: rows.length, lost, duplicated, statuses };
}

/** The campaign's rendered message, sent by bare pooled nodemailer to the same SMTP server process. */
async function sendBare(message: { subject: string; html: string; text: string }, messages: number) {
  const bare = await runBareNodemailer({ sink, processes: WORKERS, pool: POOL, messages, message });
  return bare.perSecond;
}

const results: Record<string, unknown> = {};
await runWithHerald(herald, sink, async () => {
  log('warm-up campaign (1,000)');
  const warmUpId = await createCampaign('warm-up', 'w', `${run}-warm-up`);
  await waitUntil(warmUpId, (c) => c.status === 'sent');
  // Bare nodemailer runs before and after the campaign: the ratio uses the mean of both, so a
  // change in the machine's load during the run does not favour either side.
  const preview = await herald.client.call('POST', `/v1/campaigns/${warmUpId}/preview`, {});
  const bareBefore = await sendBare(preview.body, BARE / 2);
  log(`bare nodemailer before: ${round(bareBefore)}/s`);
  const workerPids = herald.workers.map((worker) => worker.child.pid);

  log(`(a) campaign of ${CONTACTS}`);
  const before = received.size;
  const mainId = await createCampaign('bench', 'a');
  const main = await waitUntil(mainId, (c) => c.status === 'sent');
  const fanOut = fanOutTimes(main);
  const endToEndSeconds = (sink.lastHeraldReceipt() - fanOut.startedAt) / 1000;
  const mainDelivery = await delivery(mainId);
  if (received.size - before !== CONTACTS) log(`warning: ${received.size - before} received`);
  results.campaign = {
    contacts: CONTACTS,
    targeted: main.counts.targeted,
    sent: main.counts.sent,
    fanOutSeconds: round(fanOut.seconds, 2),
    dueToFanOutDoneSeconds: round(fanOut.fromDueSeconds, 2),
    endToEndSeconds: round(endToEndSeconds, 2),
    endToEndPerSecond: round(CONTACTS / endToEndSeconds),
    lost: mainDelivery.lost,
    duplicated: mainDelivery.duplicated,
    workerPeakRssMiB: workerPids.map(peakRssMiB),
  };
  log(JSON.stringify(results.campaign));

  log(`(b) bare nodemailer after, ${BARE / 2} messages`);
  const bareAfter = await sendBare(preview.body, BARE / 2);
  const barePerSecond = (bareBefore + bareAfter) / 2;
  results.bareNodemailer = {
    messages: BARE,
    processes: WORKERS,
    connectionsPerProcess: POOL,
    perSecondBefore: round(bareBefore),
    perSecondAfter: round(bareAfter),
    perSecond: round(barePerSecond),
    htmlBytes: preview.body.html.length,
  };
  results.ratio = round(CONTACTS / endToEndSeconds / barePerSecond, 3);
  log(`bare ${round(bareAfter)}/s after, ratio ${results.ratio}`);

  if (process.env.BENCH_SKIP_KILL !== '1') {
    log(`(c) a campaign of ${KILL}, every worker killed during the fan-out and half way`);
    const killId = await createCampaign('bench-kill', 'k');
    const killStart = Date.now();
    const killAll = async () => {
      await Promise.all(herald.workers.map((worker) => worker.kill()));
      for (let i = 0; i < WORKERS; i++) herald.startWorker();
    };
    await sleep(2000);
    await killAll();
    const start2 = received.size;
    while (received.size - start2 < KILL / 2) await sleep(100);
    await killAll();
    await waitUntil(killId, (c) => c.status === 'sent');
    const killDelivery = await delivery(killId);
    const [takeover] = await db.$queryRaw<{ recovered: number; requeued: number }[]>`
      SELECT count(*) FILTER (WHERE e.type = 'sent' AND e.detail ? 'recovered')::int AS recovered,
             count(*) FILTER (WHERE e.type = 'requeued')::int AS requeued
        FROM message_events e JOIN messages m ON m.id = e.message_id
       WHERE m.campaign_id = ${killId}::uuid AND e.type IN ('sent', 'requeued')`;
    results.killAndRestart = {
      kills: 2,
      contacts: KILL,
      ...killDelivery,
      /** Dead workers' claims: recorded as sent from their Redis marks, or sent again. */
      claimsRecoveredFromMarks: takeover?.recovered,
      claimsRequeued: takeover?.requeued,
      seconds: round((sink.lastHeraldReceipt() - killStart) / 1000, 1),
    };
    log(JSON.stringify(results.killAndRestart));
  }
  await herald.stopWorkers();

  if (process.env.BENCH_SKIP_MILLION !== '1') {
    log(`(d) fan-out only of ${MILLION}: seeding`);
    const seeded = CONTACTS + (process.env.BENCH_SKIP_KILL !== '1' ? KILL : 0);
    await seedContacts('b', MILLION - seeded);
    await db.$executeRaw`ANALYZE contacts`;
    // One message a second: the worker's send slots stay nearly idle while it fans out.
    const millionId = await createCampaign('bench-million', null, run, 1);
    const worker = herald.startWorker();
    const million = await waitUntil(millionId, (c) => c.fanOut.completedAt !== null, 600_000);
    const fanOut = fanOutTimes(million);
    results.fanOutOnly = {
      contacts: MILLION,
      targeted: million.counts.targeted,
      seconds: round(fanOut.seconds, 2),
      workerPeakRssMiB: peakRssMiB(worker.child.pid),
    };
    log(JSON.stringify(results.fanOutOnly));
    await herald.client.call('POST', `/v1/campaigns/${millionId}/cancel`);
  }

  writeResult('campaign', {
    command: 'npm run bench (bench/campaign.bench.ts); BENCH_ONLY=campaign npm run bench for this one',
    setup: { workers: WORKERS, ...WORKER_ENV },
    ...results,
    targets: { ratio: 0.8, fanOutSeconds: 10, workerPeakRssMiB: 300, lost: 0 },
  });
}).finally(() => db.$disconnect());
