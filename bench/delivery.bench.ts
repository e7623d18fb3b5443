/**
 * Foundation benchmark (issue 2), through the built API and worker processes, against an SMTP server
 * in a process of its own (bench/lib/smtp-sink-process.ts):
 *  (a) latency from the moment `POST /v1/messages` is sent to the SMTP server's receipt, p50/p99,
 *      at a steady BENCH_RATE messages/s for BENCH_SECONDS, open loop (requests go out on schedule
 *      whatever the answers take);
 *  (b) a burst of BENCH_BURST transactional messages through the whole path (first POST sent → last
 *      message at the SMTP server);
 *  (b') the delivery half alone: the same burst queued while the delivery queue is paused, timed
 *      from the moment it is resumed (the first job can be taken) to the last receipt;
 *  and the baseline: as many bare pooled nodemailer processes as Herald has workers, each with
 *  Herald's pool size, sending the same rendered message to the same SMTP server process, before
 *  and after Herald's runs (their mean). Ratios are of figures taken in the same run.
 * It also measures each process's CPU per message (bench/lib/process-cpu.ts) during the burst, the
 * submission alone and the delivery alone, and Herald's CPU on top of bare nodemailer's.
 * Options: BENCH_RATE (50), BENCH_SECONDS (30), BENCH_BURST (5000), BENCH_WORKERS (1),
 * BENCH_API_NODE_ARGS and BENCH_WORKER_NODE_ARGS (node options, e.g. --cpu-prof).
 */
import { startHerald } from '@herald/test-support';
import Bull from 'bull';
import { randomBytes } from 'node:crypto';
import { writeResult } from './lib/results.js';
import { runWithHerald } from './lib/run-with-herald.js';
import { runBareNodemailer } from './lib/run-bare-nodemailer.js';
import { startSmtpSink } from './lib/start-smtp-sink.js';
import { cpuBetween, heraldGroups, perMessage, sampleCpu } from './lib/process-cpu.js';
import { round, summarize } from './lib/stats.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/herald_bench';
const RATE = Number(process.env.BENCH_RATE ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const BURST = Number(process.env.BENCH_BURST ?? 5000);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
const POOL = 5;
const WORKER_CONCURRENCY = 50;
const NOTICE = {
  title: 'Your weekly usage report is ready',
  body: 'You sent 1,204 messages this week. '.repeat(20),
};
const log = (message: string) =>
  console.error(`[delivery ${new Date().toISOString().slice(11, 19)}] ${message}`);

const sink = await startSmtpSink();
// BENCH_API_NODE_ARGS / BENCH_WORKER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile.
const nodeArgs = (name: string) => (process.env[name] ?? '').split(' ').filter(Boolean);
const herald = await startHerald({
  workers: WORKERS,
  apiNodeArgs: nodeArgs('BENCH_API_NODE_ARGS'),
  workerNodeArgs: nodeArgs('BENCH_WORKER_NODE_ARGS'),
  env: {
    DATABASE_URL,
    SMTP_URL: sink.smtpUrl,
    SMTP_POOL_SIZE: String(POOL),
    // POST /v1/messages mail is transactional: it runs on the transactional queue at this concurrency.
    TRANSACTIONAL_CONCURRENCY: String(WORKER_CONCURRENCY),
    WORKER_CONCURRENCY: String(WORKER_CONCURRENCY),
  },
});
// The queue the API fills and the workers take from ('delivery', under the run's prefix).
const deliveryQueue = new Bull('delivery', herald.env.REDIS_URL as string, {
  prefix: herald.env.HERALD_QUEUE_PREFIX,
});
const run = randomBytes(3).toString('hex');
// Herald's processes by pid, PostgreSQL and Redis, the SMTP server and this client, for CPU per message.
const groups = heraldGroups({
  api: herald.apis.map((api) => api.child.pid),
  worker: herald.workers.map((worker) => worker.child.pid),
  'smtp server': [sink.pid],
});
const HERALD_PARTS = ['api', 'worker', 'postgresql', 'redis'];

/** Sends one message; `sentAt` is taken before the request leaves. */
const send = async (i: number) => {
  const sentAt = Date.now();
  const response = await herald.client.call('POST', '/v1/messages', {
    template: 'service-notice',
    to: { email: `bench-${run}-${i % 500}@example.test` },
    data: NOTICE,
  });
  if (response.status !== 202)
    throw new Error(`send failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { id: response.body.id as string, sentAt };
};
/** Sends `count` messages with up to 64 requests in flight; their ids. */
const burst = async (count: number, first: number) => {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < count) ids.push((await send(first + next++)).id);
    }),
  );
  return ids;
};
const waitAll = async (ids: string[], timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (ids.some((id) => !sink.receivedAt.has(id))) {
    if (Date.now() > deadline)
      throw new Error(`${ids.filter((id) => !sink.receivedAt.has(id)).length} messages not received`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Math.max(...ids.map((id) => sink.receivedAt.get(id) as number));
};

await runWithHerald(herald, sink, async () => {
  // Warm up: compile the template, fill the pools.
  await waitAll(
    (await Promise.all(Array.from({ length: 50 }, (_, i) => send(i)))).map((w) => w.id),
    30_000,
  );
  const preview = await herald.client.call('POST', '/v1/templates/service-notice/preview', { data: NOTICE });
  const bare = () =>
    runBareNodemailer({ sink, processes: WORKERS, pool: POOL, messages: BURST, message: preview.body });
  log(`bare nodemailer before: ${WORKERS} process(es), ${BURST} messages …`);
  const bareBefore = await bare();

  // (a) steady rate, open loop: one request every 1000/RATE ms whatever the answers take.
  log(`(a) ${RATE} messages/s for ${SECONDS} s …`);
  const sent: { id: string; sentAt: number }[] = [];
  const pending: Promise<void>[] = [];
  const startA = Date.now();
  for (let i = 0; i < RATE * SECONDS; i++) {
    const wait = startA + (i * 1000) / RATE - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(send(100_000 + i).then((s) => void sent.push(s)));
  }
  await Promise.all(pending);
  await waitAll(
    sent.map((s) => s.id),
    60_000,
  );
  const latency = summarize(sent.map((s) => (sink.receivedAt.get(s.id) as number) - s.sentAt));

  // (b) the whole path: POSTs at up to 64 in flight, until the last is received.
  log(`(b) burst of ${BURST} through Herald …`);
  const cpuBeforeB = sampleCpu(groups);
  const startB = Date.now();
  const ids = await burst(BURST, 200_000);
  const submittedB = Date.now();
  const heraldSeconds = ((await waitAll(ids, 600_000)) - startB) / 1000;
  const cpuB = perMessage(cpuBetween(cpuBeforeB, sampleCpu(groups)), BURST, HERALD_PARTS);

  // (b') the delivery half alone: the queue paused (every worker stays up and idle), filled through
  // the API, then resumed; the clock starts at the resume, when the first job can be taken.
  log(`(b') ${BURST} queued on a paused queue, then resumed …`);
  await deliveryQueue.pause();
  const cpuBeforeSubmit = sampleCpu(groups);
  const startSubmit = Date.now();
  const queuedIds = await burst(BURST, 300_000);
  const submitSeconds = (Date.now() - startSubmit) / 1000;
  const cpuSubmit = perMessage(cpuBetween(cpuBeforeSubmit, sampleCpu(groups)), BURST, HERALD_PARTS);
  const cpuBeforeDelivery = sampleCpu(groups);
  const startDelivery = Date.now();
  await deliveryQueue.resume();
  const deliverySeconds = ((await waitAll(queuedIds, 600_000)) - startDelivery) / 1000;
  const cpuDelivery = perMessage(cpuBetween(cpuBeforeDelivery, sampleCpu(groups)), BURST, HERALD_PARTS);

  log(`bare nodemailer after …`);
  const bareAfter = await bare();
  const barePerSecond = (bareBefore.perSecond + bareAfter.perSecond) / 2;
  const bareCpuMs = (bareBefore.cpuMsPerMessage + bareAfter.cpuMsPerMessage) / 2;
  const overheadMs = round(cpuB.heraldMs - bareCpuMs, 3);
  console.log(
    `\nCPU ms per transactional message (${BURST}, one run; Herald = api + worker + postgresql + redis)`,
  );
  console.table({
    'burst through the API': cpuB.byProcess,
    'submission only (queue paused)': cpuSubmit.byProcess,
    'delivery only (queued first)': cpuDelivery.byProcess,
  });
  console.log(
    `bare nodemailer ${round(bareCpuMs, 3)} ms/message; Herald ${cpuB.heraldMs}; on top: ${overheadMs}\n`,
  );

  writeResult('delivery', {
    command: 'npm run bench (bench/delivery.bench.ts); BENCH_ONLY=delivery npm run bench for this one',
    setup: {
      workers: WORKERS,
      workerConcurrency: WORKER_CONCURRENCY,
      smtpPool: POOL,
      smtpServer: 'mail catcher in its own process (keep=count)',
      htmlBytes: preview.body.html.length,
    },
    steady: {
      ratePerSecond: RATE,
      seconds: SECONDS,
      messages: sent.length,
      latencyFrom: 'request sent',
      latencyMs: latency,
      targetP99Ms: 250,
    },
    bareNodemailer: {
      processes: WORKERS,
      connectionsPerProcess: POOL,
      messages: BURST,
      perSecondBefore: round(bareBefore.perSecond),
      perSecondAfter: round(bareAfter.perSecond),
      perSecond: round(barePerSecond),
    },
    burst: {
      messages: BURST,
      heraldSeconds: round(heraldSeconds, 2),
      heraldSubmitSeconds: round((submittedB - startB) / 1000, 2),
      heraldPerSecond: round(BURST / heraldSeconds),
      ratio: round(BURST / heraldSeconds / barePerSecond, 3),
      targetRatio: 0.8,
    },
    submission: {
      messages: BURST,
      inFlight: 64,
      clockFrom: 'first POST sent (delivery queue paused)',
      seconds: round(submitSeconds, 2),
      acceptedPerSecond: round(BURST / submitSeconds),
      targetPerSecond: 3000,
    },
    cpuMsPerMessage: {
      measuredWith:
        '/proc/<pid>/stat user+system time over each phase; postgresql and redis are all their processes',
      bareNodemailer: round(bareCpuMs, 3),
      burst: cpuB,
      submissionOnly: cpuSubmit,
      deliveryOnly: cpuDelivery,
      heraldOnTopOfNodemailer: overheadMs,
      targetOnTopMs: 0.8,
    },
    deliveryOnly: {
      messages: BURST,
      clockFrom: 'queue resumed (workers up and idle)',
      seconds: round(deliverySeconds, 2),
      perSecond: round(BURST / deliverySeconds),
      ratio: round(BURST / deliverySeconds / barePerSecond, 3),
      targetRatio: 0.9,
    },
  });
}).finally(() => deliveryQueue.close());
