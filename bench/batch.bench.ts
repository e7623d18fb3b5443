/**
 * Batch submission benchmark (issue 12): accepted messages per second through
 * `POST /v1/messages/batch`, 1,000 messages per request, into one built API process, with
 * BENCH_BATCH_IN_FLIGHT requests in flight; and, for comparison in the same run, the same number of
 * messages through single `POST /v1/messages` at 64 requests in flight. No worker runs, so the
 * figures are the API's (and PostgreSQL's and Redis's) alone; every message is checked to be stored
 * and its job to be in the queue.
 * Options: BENCH_BATCHES (50), BENCH_BATCH_SIZE (1000), BENCH_BATCH_IN_FLIGHT (4).
 */
import { startHerald } from '@herald/test-support';
import Bull from 'bull';
import { randomBytes } from 'node:crypto';
import { writeResult } from './lib/results.js';
import { runWithHerald } from './lib/run-with-herald.js';
import { startSmtpSink } from './lib/start-smtp-sink.js';
import { round, summarize } from './lib/stats.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/herald_bench';
const BATCHES = Number(process.env.BENCH_BATCHES ?? 50);
const BATCH_SIZE = Number(process.env.BENCH_BATCH_SIZE ?? 1000);
const IN_FLIGHT = Number(process.env.BENCH_BATCH_IN_FLIGHT ?? 4);
const NOTICE = {
  title: 'Your weekly usage report is ready',
  body: 'You sent 1,204 messages this week. '.repeat(5),
};
const log = (message: string) =>
  console.error(`[batch ${new Date().toISOString().slice(11, 19)}] ${message}`);

// No worker sends here; the sink is only the SMTP server Herald is configured with.
const sink = await startSmtpSink();
const herald = await startHerald({ workers: 0, env: { DATABASE_URL, SMTP_URL: sink.smtpUrl } });
const deliveryQueue = new Bull('delivery', herald.env.REDIS_URL as string, {
  prefix: herald.env.HERALD_QUEUE_PREFIX,
});
const run = randomBytes(3).toString('hex');
// Half the addresses repeat across the run (contacts that exist), half are new (contacts created).
const item = (i: number) => ({
  template: 'service-notice',
  to: {
    email:
      i % 2 === 0 ? `bench-batch-${run}-${i % 1000}@example.test` : `bench-batch-${run}-n${i}@example.test`,
  },
  data: NOTICE,
});

/** How long each batch request took, sent to answered. */
const requestMs: number[] = [];
/** Sends `count` batches with IN_FLIGHT requests at a time; the ids of the accepted messages. */
const batches = async (count: number, first: number) => {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) {
        const base = first + next++ * BATCH_SIZE;
        const sentAt = Date.now();
        const response = await herald.client.call('POST', '/v1/messages/batch', {
          messages: Array.from({ length: BATCH_SIZE }, (_, i) => item(base + i)),
        });
        const results = response.body?.results as { id?: string; error?: unknown }[] | undefined;
        if (response.status !== 200 || !results || results.some((r) => !r.id)) {
          throw new Error(`batch failed: ${response.status} ${JSON.stringify(response.body).slice(0, 500)}`);
        }
        requestMs.push(Date.now() - sentAt);
        for (const result of results) ids.push(result.id as string);
      }
    }),
  );
  return ids;
};
/** Sends `count` single messages with up to 64 requests in flight. */
const singles = async (count: number, first: number) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < count) {
        const response = await herald.client.call('POST', '/v1/messages', item(first + next++));
        if (response.status !== 202)
          throw new Error(`send failed: ${response.status} ${JSON.stringify(response.body)}`);
      }
    }),
  );
};

await runWithHerald(herald, sink, async () => {
  // Warm up: the template compiled, the connection pools filled.
  await batches(Math.min(2, BATCHES), 0);
  const total = BATCHES * BATCH_SIZE;

  log(`${BATCHES} batches of ${BATCH_SIZE}, ${IN_FLIGHT} in flight …`);
  requestMs.length = 0;
  const start = Date.now();
  const ids = await batches(BATCHES, 10_000_000);
  const batchSeconds = (Date.now() - start) / 1000;
  const stored = await herald.client.call('GET', `/v1/messages/${ids.at(-1)}`);
  if (stored.body.status !== 'queued') throw new Error(`the last message is not stored as queued`);
  const waiting = await deliveryQueue.getWaitingCount();
  if (waiting < total) throw new Error(`${waiting} jobs waiting for ${total} accepted messages`);

  log(`the same ${total} messages as single sends, 64 in flight …`);
  const startSingles = Date.now();
  await singles(total, 20_000_000);
  const singleSeconds = (Date.now() - startSingles) / 1000;

  writeResult('batch', {
    command: 'npm run bench (bench/batch.bench.ts); BENCH_ONLY=batch npm run bench for this one',
    setup: { apis: 1, workers: 0, batches: BATCHES, batchSize: BATCH_SIZE, requestsInFlight: IN_FLIGHT },
    batchSubmission: {
      figure: 'accepted messages per second through POST /v1/messages/batch (1,000 per request)',
      messages: total,
      seconds: round(batchSeconds),
      acceptedPerSecond: round(total / batchSeconds),
      requestMs: summarize(requestMs),
    },
    singleSubmission: {
      messages: total,
      seconds: round(singleSeconds),
      acceptedPerSecond: round(total / singleSeconds),
    },
    ratioBatchToSingle: round(singleSeconds / batchSeconds),
  });
  await deliveryQueue.close();
});
