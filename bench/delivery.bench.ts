/**
 * Foundation benchmark (issue 2), through the built API and worker processes:
 *  (a) latency from `POST /v1/messages` accepted (202 received) to the SMTP server's receipt,
 *      p50/p99, at a steady 50 messages/s for 30 s;
 *  (b) a burst of 5,000 transactional messages through the whole path, against bare nodemailer
 *      (pooled, same pool size) sending the same rendered message to the same SMTP server in the
 *      same run: messages/s of each and their ratio.
 * Options: BENCH_RATE, BENCH_SECONDS, BENCH_BURST, BENCH_WORKERS.
 */
import { startMailCatcher } from '@herald/mail-catcher';
import nodemailer from 'nodemailer';
import { randomBytes } from 'node:crypto';
import { startHerald } from './lib/herald-processes.js';
import { writeResult } from './lib/results.js';
import { round, summarize } from './lib/stats.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/herald_bench';
const RATE = Number(process.env.BENCH_RATE ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const BURST = Number(process.env.BENCH_BURST ?? 5000);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
const POOL = 5;
const NOTICE = {
  title: 'Your weekly usage report is ready',
  body: 'You sent 1,204 messages this week. '.repeat(20),
};

const catcher = await startMailCatcher({
  smtpPort: 0,
  httpPort: null,
  keep: 'count',
  maxMessages: 1_000_000,
});
const receivedAt = new Map<string, number>();
catcher.onMessage((m) => {
  if (m.heraldMessageId) receivedAt.set(m.heraldMessageId, m.receivedAt);
});
const herald = await startHerald({
  smtpUrl: catcher.smtpUrl,
  databaseUrl: DATABASE_URL,
  workers: WORKERS,
  extraEnv: { SMTP_POOL_SIZE: String(POOL), WORKER_CONCURRENCY: '50' },
});
const run = randomBytes(3).toString('hex');
const send = async (i: number) => {
  const response = await herald.call('POST', '/v1/messages', {
    template: 'service-notice',
    to: { email: `bench-${run}-${i % 500}@example.test` },
    data: NOTICE,
  });
  if (response.status !== 202)
    throw new Error(`send failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { id: response.body.id as string, acceptedAt: Date.now() };
};
const waitAll = async (ids: string[], timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (ids.some((id) => !receivedAt.has(id))) {
    if (Date.now() > deadline)
      throw new Error(`${ids.filter((id) => !receivedAt.has(id)).length} messages not received`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

try {
  // Warm up: compile the template, fill the pools.
  const warm = await Promise.all(Array.from({ length: 50 }, (_, i) => send(i)));
  await waitAll(
    warm.map((w) => w.id),
    30_000,
  );

  // (a) steady rate, open loop: one request every 1000/RATE ms whatever the answers take.
  console.error(`(a) ${RATE} messages/s for ${SECONDS} s …`);
  const accepted: { id: string; acceptedAt: number }[] = [];
  const pending: Promise<void>[] = [];
  const startA = Date.now();
  for (let i = 0; i < RATE * SECONDS; i++) {
    const due = startA + (i * 1000) / RATE;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(send(100_000 + i).then((a) => void accepted.push(a)));
  }
  await Promise.all(pending);
  await waitAll(
    accepted.map((a) => a.id),
    60_000,
  );
  const latency = summarize(accepted.map((a) => (receivedAt.get(a.id) as number) - a.acceptedAt));

  // (b) burst through the whole path: 5,000 POSTs at up to 64 in flight, until the last is received.
  console.error(`(b) burst of ${BURST} through Herald …`);
  const startB = Date.now();
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < BURST) {
        const i = next++;
        ids.push((await send(200_000 + i)).id);
      }
    }),
  );
  const submittedB = Date.now();
  await waitAll(ids, 600_000);
  const heraldSeconds = (Math.max(...ids.map((id) => receivedAt.get(id) as number)) - startB) / 1000;
  const heraldRate = BURST / heraldSeconds;

  // (b') the delivery half alone: the same burst queued while no worker runs, then one worker started.
  console.error(`(b') ${BURST} queued, then delivered by a freshly started worker …`);
  await herald.stopWorkers();
  const queuedIds: string[] = [];
  let nextQueued = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (nextQueued < BURST) {
        const i = nextQueued++;
        queuedIds.push((await send(300_000 + i)).id);
      }
    }),
  );
  herald.startWorker();
  const firstReceipt = await new Promise<number>((resolve) => {
    const off = catcher.onMessage((m) => {
      if (m.heraldMessageId && queuedIds.includes(m.heraldMessageId)) {
        off();
        resolve(m.receivedAt);
      }
    });
  });
  await waitAll(queuedIds, 600_000);
  const deliverySeconds =
    (Math.max(...queuedIds.map((id) => receivedAt.get(id) as number)) - firstReceipt) / 1000;
  const deliveryRate = BURST / deliverySeconds;

  // The same rendered message, sent by bare pooled nodemailer to the same SMTP server.
  console.error(`(b) burst of ${BURST} through bare nodemailer …`);
  const preview = await herald.call('POST', '/v1/templates/service-notice/preview', { data: NOTICE });
  const transport = nodemailer.createTransport({
    url: catcher.smtpUrl,
    pool: true,
    maxConnections: POOL,
    maxMessages: Infinity,
  });
  const before = catcher.count();
  const startBare = Date.now();
  await Promise.all(
    Array.from({ length: BURST }, (_, i) =>
      transport.sendMail({
        from: 'Herald <no-reply@herald.localhost>',
        to: `bare-${i % 500}@example.test`,
        subject: preview.body.subject,
        html: preview.body.html,
        text: preview.body.text,
      }),
    ),
  );
  const bareSeconds = (Date.now() - startBare) / 1000;
  transport.close();
  if (catcher.count() - before < BURST) throw new Error('bare nodemailer lost messages');
  const bareRate = BURST / bareSeconds;

  writeResult('delivery', {
    command: 'npm run bench (bench/delivery.bench.ts)',
    setup: { workers: WORKERS, workerConcurrency: 50, smtpPool: POOL, htmlBytes: preview.body.html.length },
    steady: {
      ratePerSecond: RATE,
      seconds: SECONDS,
      messages: accepted.length,
      latencyMs: latency,
      targetP99Ms: 250,
    },
    burst: {
      messages: BURST,
      heraldSeconds: round(heraldSeconds, 2),
      heraldSubmitSeconds: round((submittedB - startB) / 1000, 2),
      heraldPerSecond: round(heraldRate),
      bareNodemailerSeconds: round(bareSeconds, 2),
      bareNodemailerPerSecond: round(bareRate),
      ratio: round(heraldRate / bareRate, 3),
      targetRatio: 0.8,
      deliveryOnlySeconds: round(deliverySeconds, 2),
      deliveryOnlyPerSecond: round(deliveryRate),
      deliveryOnlyRatio: round(deliveryRate / bareRate, 3),
    },
  });
} finally {
  await herald.stop();
  await catcher.close();
}
