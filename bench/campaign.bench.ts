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
 *  (a') while (a) runs, a sign-in link (a required transactional message) posted every
 *      BENCH_SIGN_IN_EVERY_MS: each one's latency from its POST to the SMTP server's receipt, p50/p99
 *      (the campaign must not hold up the mail a person is waiting for);
 *  (d) a BENCH_MILLION_CONTACTS (1,000,000) contact campaign end to end, unthrottled, through freshly
 *      started workers: fan-out time, messages/s from fan-out start to the last receipt and its ratio
 *      to bare nodemailer taken again right after it, lost and duplicated messages, and each worker's
 *      RSS sampled through the run (peak, and the peak of the first and of the last quarter of the
 *      messages, which are equal when memory is flat).
 * The SMTP server runs in a process of its own (bench/lib/smtp-sink-process.ts).
 * Options: BENCH_CAMPAIGN_CONTACTS, BENCH_KILL_CONTACTS, BENCH_MILLION_CONTACTS, BENCH_CAMPAIGN_WORKERS,
 * BENCH_BARE_MESSAGES, BENCH_SIGN_IN_EVERY_MS (250), BENCH_WORKER_NODE_OPTIONS, BENCH_SKIP_KILL=1,
 * BENCH_SKIP_MILLION=1.
 */
import { createPrismaClient, Prisma } from '@herald/db';
import { startHerald, workerNodeArgs } from '@herald/test-support';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeResult } from './lib/results.js';
import { runWithHerald } from './lib/run-with-herald.js';
import { runBareNodemailer } from './lib/run-bare-nodemailer.js';
import { startSmtpSink } from './lib/start-smtp-sink.js';
import { cpuBetween, heraldGroups, perMessage, sampleCpu } from './lib/process-cpu.js';
import { round, summarize } from './lib/stats.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/herald_bench';
const CONTACTS = Number(process.env.BENCH_CAMPAIGN_CONTACTS ?? 100_000);
const MILLION = Number(process.env.BENCH_MILLION_CONTACTS ?? 1_000_000);
const SIGN_IN_EVERY_MS = Number(process.env.BENCH_SIGN_IN_EVERY_MS ?? 250);
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
// so a 256 MB cap keeps its RSS low for ~3% of throughput (decision 008). By default the workers run
// with the options `npm run start:worker` gives them.
const WORKER_NODE_ARGS = process.env.BENCH_WORKER_NODE_OPTIONS
  ? process.env.BENCH_WORKER_NODE_OPTIONS.split(' ').filter(Boolean)
  : workerNodeArgs();
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

/**
 * Polls the campaign once a second, as an operator's console would: its counts are a grouped count
 * over the campaign's messages, and polling it faster costs PostgreSQL CPU the campaign would use.
 * The figures never come from the poll's timing (receipts are timed by the SMTP server).
 */
async function waitUntil(id: string, done: (c: CampaignView) => boolean, timeoutMs = 900_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await herald.client.call('GET', `/v1/campaigns/${id}`);
    if (done(body as CampaignView)) return body as CampaignView;
    if (Date.now() > deadline) throw new Error(`campaign ${id} timed out: ${JSON.stringify(body)}`);
    await sleep(1000);
  }
}

/** The fan-out's times as GET /v1/campaigns/:id reports them, once it has completed. */
function fanOutTimes(campaign: CampaignView) {
  const due = Date.parse(campaign.sendAt);
  const startedAt = Date.parse(campaign.fanOut.startedAt as string);
  const completedAt = Date.parse(campaign.fanOut.completedAt as string);
  return { startedAt, seconds: (completedAt - startedAt) / 1000, fromDueSeconds: (completedAt - due) / 1000 };
}

function procStatusMiB(pid: number | undefined, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return round(Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]) / 1024);
  } catch {
    return NaN;
  }
}
const peakRssMiB = (pid: number | undefined) => procStatusMiB(pid, 'VmHWM');

/**
 * Samples each worker's RSS every second with how many messages the sink had received by then, so
 * the report can say whether memory stayed flat as the campaign went on.
 */
function sampleRss(pids: (number | undefined)[]) {
  const samples: { received: number; rssMiB: number[] }[] = [];
  const timer = setInterval(() => {
    samples.push({ received: received.size, rssMiB: pids.map((pid) => procStatusMiB(pid, 'VmRSS')) });
  }, 1000);
  return {
    stop(from: number, to: number) {
      clearInterval(timer);
      const quarter = (to - from) / 4;
      const peakWhere = (keep: (r: number) => boolean) =>
        Math.max(...samples.filter((s) => keep(s.received)).flatMap((s) => s.rssMiB), 0);
      return {
        peakMiB: pids.map(peakRssMiB),
        firstQuarterPeakMiB: peakWhere((r) => r <= from + quarter),
        lastQuarterPeakMiB: peakWhere((r) => r >= to - quarter),
      };
    },
  };
}

/**
 * Posts a sign-in link (security-sign-in, a required transactional message) every
 * SIGN_IN_EVERY_MS until stopped, then waits for them at the SMTP server: each one's time from its
 * POST to the server's receipt (NaN if it never arrived within a minute).
 */
function probeSignIns() {
  const posted = new Map<string, number>();
  let stopped = false;
  const loop = (async () => {
    for (let i = 0; !stopped; i++) {
      const at = Date.now();
      const response = await herald.client.call('POST', '/v1/messages', {
        template: 'security-sign-in',
        to: { email: `sign-in-${run}-${i}@example.test` },
        data: { signInUrl: `https://app.example.com/account/sign-in?token=bench-${i}`, expiresInMinutes: 15 },
      });
      if (response.status !== 202) throw new Error(`sign-in not accepted: ${JSON.stringify(response.body)}`);
      posted.set(response.body.id as string, at);
      await sleep(Math.max(0, SIGN_IN_EVERY_MS - (Date.now() - at)));
    }
  })();
  return {
    async stop(): Promise<number[]> {
      stopped = true;
      await loop;
      const deadline = Date.now() + 60_000;
      while ([...posted.keys()].some((id) => !sink.receivedAt.has(id)) && Date.now() < deadline)
        await sleep(200);
      return [...posted].map(([id, at]) => (sink.receivedAt.get(id) ?? NaN) - at);
    },
  };
}

/**
 * Messages of a campaign: how many reached the SMTP server once, more than once, or never, and when
 * the last of them arrived.
 */
async function delivery(id: string) {
  const rows = await db.$queryRaw<{ id: string; status: string }[]>`
    SELECT id::text, status::text FROM messages WHERE campaign_id = ${id}::uuid`;
  let duplicated = 0;
  let lost = 0;
  let lastReceivedAt = 0;
  const statuses: Record<string, number> = {};
  for (const row of rows) {
    statuses[row.status] = (statuses[row.status] ?? 0) + 1;
    const times = received.get(row.id) ?? 0;
    if (times === 0) lost++;
    if (times > 1) duplicated += times - 1;
    lastReceivedAt = Math.max(lastReceivedAt, sink.receivedAt.get(row.id) ?? 0);
  }
  return { delivery: { targeted: rows.length, lost, duplicated, statuses }, lastReceivedAt };
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
  // CPU per message of each process over the campaign (the sign-in probe's few messages included).
  const groups = heraldGroups({
    api: herald.apis.map((api) => api.child.pid),
    worker: workerPids,
    'smtp server': [sink.pid],
  });
  const cpuBefore = sampleCpu(groups);
  const mainId = await createCampaign('bench', 'a');
  const signIns = probeSignIns();
  const main = await waitUntil(mainId, (c) => c.status === 'sent');
  const signInLatencies = await signIns.stop();
  const fanOut = fanOutTimes(main);
  const { delivery: mainDelivery, lastReceivedAt } = await delivery(mainId);
  const endToEndSeconds = (lastReceivedAt - fanOut.startedAt) / 1000;
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
    cpuMsPerMessage: perMessage(cpuBetween(cpuBefore, sampleCpu(groups)), CONTACTS, [
      'api',
      'worker',
      'postgresql',
      'redis',
    ]),
  };
  log(JSON.stringify(results.campaign));
  results.signInDuringCampaign = {
    everyMs: SIGN_IN_EVERY_MS,
    sent: signInLatencies.length,
    neverArrived: signInLatencies.filter(Number.isNaN).length,
    postToSmtpMs: summarize(signInLatencies.filter((ms) => !Number.isNaN(ms))),
  };
  log(JSON.stringify(results.signInDuringCampaign));

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
    const { delivery: killDelivery } = await delivery(killId);
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
    log(`(d) campaign of ${MILLION}, end to end: seeding`);
    const seeded = CONTACTS + (process.env.BENCH_SKIP_KILL !== '1' ? KILL : 0);
    await seedContacts('b', Math.max(0, MILLION - seeded));
    await db.$executeRaw`ANALYZE contacts`;
    // Every contact of this run (parts a, k and b): MILLION of them.
    const workers = Array.from({ length: WORKERS }, () => herald.startWorker());
    const rss = sampleRss(workers.map((worker) => worker.child.pid));
    const receivedBefore = received.size;
    const millionId = await createCampaign('bench-million', null);
    // At least 100 messages a second, or the run is reported as timed out.
    const million = await waitUntil(millionId, (c) => c.status === 'sent', Math.max(900_000, MILLION * 10));
    const fanOut = fanOutTimes(million);
    const { delivery: millionDelivery, lastReceivedAt } = await delivery(millionId);
    const seconds = (lastReceivedAt - fanOut.startedAt) / 1000;
    const memory = rss.stop(receivedBefore, receivedBefore + MILLION);
    await herald.stopWorkers();
    const bareAfterMillion = await sendBare(preview.body, BARE / 2);
    const bareMean = (barePerSecond + bareAfterMillion) / 2;
    results.million = {
      contacts: MILLION,
      sent: million.counts.sent,
      fanOutSeconds: round(fanOut.seconds, 2),
      endToEndSeconds: round(seconds, 1),
      endToEndPerSecond: round(MILLION / seconds),
      bareNodemailerPerSecond: round(bareMean),
      ratio: round(MILLION / seconds / bareMean, 3),
      ...millionDelivery,
      workerRssMiB: memory,
    };
    log(JSON.stringify(results.million));
  }

  writeResult('campaign', {
    command: 'npm run bench (bench/campaign.bench.ts); BENCH_ONLY=campaign npm run bench for this one',
    setup: { workers: WORKERS, ...WORKER_ENV },
    ...results,
    targets: {
      ratio: 0.95,
      fanOutSeconds: 10,
      signInPostToSmtpP99Ms: 1000,
      million: { ratio: 0.9, lost: 0, workerPeakRssMiB: 150 },
    },
  });
}).finally(() => db.$disconnect());
