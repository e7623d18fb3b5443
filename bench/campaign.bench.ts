/**
 * Campaign benchmark (issue 4), through the built API and worker processes:
 *  (a) a 100,000-contact newsletter campaign through the whole path (scheduler, fan-out, Bull,
 *      worker decision, render, pooled SMTP, status written back): fan-out time, end-to-end
 *      messages/s, each worker's peak RSS;
 *  (b) bare pooled nodemailer sending the campaign's rendered message to the same SMTP server in the
 *      same run, and the ratio of (a) to it;
 *  (c) a 50,000-contact campaign with every worker killed (SIGKILL) twice, during the fan-out and
 *      half way through the sending, and started again: lost and duplicated messages;
 *  (d) a 1,000,000-contact fan-out without sending: time and peak memory of the process doing it.
 * Options: BENCH_CAMPAIGN_CONTACTS, BENCH_KILL_CONTACTS, BENCH_FANOUT_CONTACTS, BENCH_CAMPAIGN_WORKERS,
 * BENCH_BARE_MESSAGES, BENCH_WORKER_NODE_OPTIONS, BENCH_SKIP_KILL=1, BENCH_SKIP_MILLION=1.
 */
import { createPrismaClient, Prisma } from '@herald/db';
import { startMailCatcher } from '@herald/mail-catcher';
import nodemailer from 'nodemailer';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { startHerald } from './lib/herald-processes.js';
import { writeResult } from './lib/results.js';
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
  // V8 sizes its heap from the machine's memory (about 4 GB here) and collects lazily: a worker's
  // live heap is ~60 MB, so a 256 MB cap keeps its RSS low for ~3% of throughput (decision 008).
  NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS ?? '--max-old-space-size=256',
};
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

const catcher = await startMailCatcher({ smtpPort: 0, httpPort: null, keep: 'count', maxMessages: 1000 });
const received = new Map<string, number>();
let lastReceipt = 0;
catcher.onMessage((m) => {
  if (!m.heraldMessageId) return;
  received.set(m.heraldMessageId, (received.get(m.heraldMessageId) ?? 0) + 1);
  lastReceipt = m.receivedAt;
});

log(`seeding ${CONTACTS} + ${KILL} + 1,000 contacts`);
await seedContacts('w', 1000, `${run}-warm-up`);
await seedContacts('a', CONTACTS);
if (process.env.BENCH_SKIP_KILL !== '1') await seedContacts('k', KILL);
await db.$executeRaw`ANALYZE contacts`;
const herald = await startHerald({
  smtpUrl: catcher.smtpUrl,
  databaseUrl: DATABASE_URL,
  workers: WORKERS,
  extraEnv: WORKER_ENV,
});

async function createCampaign(name: string, part: string | null, bench = run) {
  const response = await herald.call('POST', '/v1/campaigns', {
    name,
    template: 'newsletter',
    data: NEWSLETTER,
    audience: { categories: ['newsletter'], attributes: { bench, ...(part && { part }) } },
    sendAt: new Date().toISOString(),
  });
  if (response.status !== 201) throw new Error(`campaign not created: ${JSON.stringify(response.body)}`);
  return response.body.id as string;
}

/** A campaign as GET /v1/campaigns/:id answers it (the fields the benchmark reads). */
interface CampaignView {
  status: string;
  counts: { targeted: number; sent: number };
}

async function waitUntil(id: string, done: (c: CampaignView) => boolean, timeoutMs = 900_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await herald.call('GET', `/v1/campaigns/${id}`);
    if (done(body as CampaignView)) return body as CampaignView;
    if (Date.now() > deadline) throw new Error(`campaign ${id} timed out: ${JSON.stringify(body)}`);
    await sleep(250);
  }
}

async function fanOutSeconds(id: string) {
  const campaign = await db.campaign.findUniqueOrThrow({ where: { id } });
  return {
    startedAt: campaign.fanoutStartedAt as Date,
    seconds:
      ((campaign.fanoutDoneAt as Date).getTime() - (campaign.fanoutStartedAt as Date).getTime()) / 1000,
  };
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

/** The campaign's rendered message, sent by bare pooled nodemailer to the same SMTP server. */
async function sendBare(message: { subject: string; html: string; text: string }, count: number) {
  const transport = nodemailer.createTransport({
    url: catcher.smtpUrl,
    pool: true,
    maxConnections: POOL * WORKERS,
    maxMessages: Infinity,
  });
  const before = catcher.count();
  const start = Date.now();
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      transport.sendMail({
        from: 'Herald <no-reply@herald.localhost>',
        to: `bare-${i}@example.test`,
        subject: message.subject,
        html: message.html,
        text: message.text,
      }),
    ),
  );
  const seconds = (Date.now() - start) / 1000;
  transport.close();
  if (catcher.count() - before < count) throw new Error('bare nodemailer lost messages');
  return count / seconds;
}

const results: Record<string, unknown> = {};
try {
  log('warm-up campaign (1,000)');
  const warmUpId = await createCampaign('warm-up', 'w', `${run}-warm-up`);
  await waitUntil(warmUpId, (c) => c.status === 'sent');
  // Bare nodemailer runs before and after the campaign: the ratio uses the mean of both, so a
  // change in the machine's load during the run does not favour either side.
  const preview = await herald.call('POST', `/v1/campaigns/${warmUpId}/preview`, {});
  const bareBefore = await sendBare(preview.body, BARE / 2);
  log(`bare nodemailer before: ${round(bareBefore)}/s`);
  const workerPids = herald.children.slice(1).map((child) => child.pid);

  log(`(a) campaign of ${CONTACTS}`);
  const before = received.size;
  const mainId = await createCampaign('bench', 'a');
  const main = await waitUntil(mainId, (c) => c.status === 'sent');
  const fanOut = await fanOutSeconds(mainId);
  const endToEndSeconds = (lastReceipt - fanOut.startedAt.getTime()) / 1000;
  const mainDelivery = await delivery(mainId);
  if (received.size - before !== CONTACTS) log(`warning: ${received.size - before} received`);
  results.campaign = {
    contacts: CONTACTS,
    targeted: main.counts.targeted,
    sent: main.counts.sent,
    fanOutSeconds: round(fanOut.seconds, 2),
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
    connections: POOL * WORKERS,
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
      const workers = herald.children.slice(1).filter((c) => c.exitCode === null && c.signalCode === null);
      for (const worker of workers) worker.kill('SIGKILL');
      await Promise.all(workers.map((w) => new Promise((resolve) => w.once('exit', resolve))));
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
      seconds: round((lastReceipt - killStart) / 1000, 1),
    };
    log(JSON.stringify(results.killAndRestart));
  }
  await herald.stopWorkers();

  if (process.env.BENCH_SKIP_MILLION !== '1') {
    log(`(d) fan-out only of ${MILLION}: seeding`);
    const seeded = CONTACTS + (process.env.BENCH_SKIP_KILL !== '1' ? KILL : 0);
    await seedContacts('b', MILLION - seeded);
    await db.$executeRaw`ANALYZE contacts`;
    const millionId = await createCampaign('bench-million', null);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'bench/lib/campaign-fan-out.ts', millionId],
      { env: { ...process.env, ...herald.env, ...WORKER_ENV }, maxBuffer: 1 << 20 },
    );
    const fanOutOnly = JSON.parse(stdout.trim().split('\n').at(-1) as string);
    const million = await db.campaign.findUniqueOrThrow({ where: { id: millionId } });
    results.fanOutOnly = {
      contacts: MILLION,
      targeted: million.targeted,
      seconds: round(fanOutOnly.seconds, 2),
      peakRssMiB: round(fanOutOnly.peakRssMiB),
      jobsInQueue: fanOutOnly.jobs,
    };
    log(JSON.stringify(results.fanOutOnly));
    await herald.call('POST', `/v1/campaigns/${millionId}/cancel`);
  }

  writeResult('campaign', {
    command: 'npm run bench (bench/campaign.bench.ts); BENCH_ONLY=campaign npm run bench for this one',
    setup: { workers: WORKERS, ...WORKER_ENV },
    ...results,
    targets: { ratio: 0.8, fanOutSeconds: 10, workerPeakRssMiB: 300, lost: 0 },
  });
} finally {
  await herald.stop();
  await catcher.close();
  // The benchmark's queues live under a prefix of their own: leave nothing behind in Redis.
  const Bull = (await import('bull')).default;
  const queue = new Bull('campaign-delivery', process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
    prefix: herald.env.HERALD_QUEUE_PREFIX,
  });
  let cursor = '0';
  do {
    const [next, keys] = await queue.client.scan(
      cursor,
      'MATCH',
      `${herald.env.HERALD_QUEUE_PREFIX}:*`,
      'COUNT',
      1000,
    );
    if (keys.length > 0) await queue.client.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await queue.close();
  await db.$disconnect();
}
