/**
 * Runs one campaign's fan-out, and nothing else, in a process of its own (so its peak memory is the
 * fan-out's): the worker's own code (claim, keyset pages, INSERT … SELECT, addBulk), without sending.
 * Usage: node --import tsx bench/lib/campaign-fan-out.ts <campaignId>; prints JSON on stdout.
 * Environment: DATABASE_URL, REDIS_URL, HERALD_QUEUE_PREFIX, FANOUT_BATCH_SIZE, CAMPAIGN_BATCH_SIZE.
 */
import { createPrismaClient } from '@herald/db';
import Bull from 'bull';
import { readFileSync } from 'node:fs';
import { CAMPAIGN_QUEUE } from '../../apps/api/dist/campaigns/campaign-queue.js';
import { claimCampaignWork } from '../../apps/api/dist/scheduler/claim-campaign-work.js';
import { currentRedisEpoch } from '../../apps/api/dist/scheduler/redis-epoch.js';
import { runCampaignWork } from '../../apps/api/dist/scheduler/run-campaign-work.js';
import { WorkerLease } from '../../apps/api/dist/scheduler/worker-lease.js';

const campaignId = process.argv[2] as string;
const env = process.env;
const db = createPrismaClient({ databaseUrl: env.DATABASE_URL as string, maxConnections: 4 });
const queue = new Bull(CAMPAIGN_QUEUE, env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  prefix: env.HERALD_QUEUE_PREFIX ?? 'herald',
});
const lease = new WorkerLease(db, 10_000);
await lease.start();
const epoch = await currentRedisEpoch(queue.client, env.HERALD_QUEUE_PREFIX ?? 'herald');
const started = performance.now();
const [campaign] = await claimCampaignWork(db, { workerId: lease.workerId, epoch, limit: 1 });
if (campaign?.id !== campaignId) throw new Error(`could not claim campaign ${campaignId}`);
await runCampaignWork(
  {
    db,
    campaignQueue: queue,
    workerId: lease.workerId,
    epoch,
    fanoutBatchSize: Number(env.FANOUT_BATCH_SIZE ?? 5000),
    campaignBatchSize: Number(env.CAMPAIGN_BATCH_SIZE ?? 100),
    stopping: () => false,
  },
  campaign,
);
const seconds = (performance.now() - started) / 1000;
const status = readFileSync('/proc/self/status', 'utf8');
const kib = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
console.log(JSON.stringify({ seconds, peakRssMiB: kib('VmHWM') / 1024, jobs: await queue.count() }));
await lease.stop();
await queue.close();
await db.$disconnect();
