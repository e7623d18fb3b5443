import type { Provider } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bull';
import type { WorkerEnv } from '@herald/config';
import type { Db } from '@herald/db';
import type { Queue } from 'bull';
import { CampaignBatchProcessor } from '../campaigns/campaign-batch.processor.js';
import { CAMPAIGN_QUEUE } from '../campaigns/campaign-queue.js';
import { createCampaignRateLimiter } from '../campaigns/campaign-rate-limiter.js';
import { createCampaignStateCache } from '../campaigns/campaign-state-cache.js';
import { PRISMA, WORKER_ENV } from '../core/env.token.js';
import { CAMPAIGN_GATE, type CampaignGate, WORKER_LEASE } from '../delivery/campaign-gate.js';
import { SchedulerService } from './scheduler.service.js';
import { createSentMarker } from './sent-marks.js';
import { WorkerLease } from './worker-lease.js';

/**
 * The worker's campaign parts. The lease is taken before anything consumes a job (providers resolve
 * before any module starts), so every claim this worker makes is covered by it.
 */
export const campaignWorkerProviders: Provider[] = [
  {
    provide: WORKER_LEASE,
    inject: [PRISMA, WORKER_ENV, getQueueToken(CAMPAIGN_QUEUE)],
    useFactory: async (db: Db, env: WorkerEnv, queue: Queue) => {
      const lease = new WorkerLease(db, env.WORKER_LEASE_MS, (error) =>
        console.error(`worker lease not renewed: ${error.message}`),
      );
      lease.markSent = createSentMarker(queue.client, env.HERALD_QUEUE_PREFIX, lease.workerId);
      await lease.start();
      return lease;
    },
  },
  {
    provide: CAMPAIGN_GATE,
    inject: [PRISMA, WORKER_ENV, getQueueToken(CAMPAIGN_QUEUE)],
    useFactory: (db: Db, env: WorkerEnv, queue: Queue): CampaignGate => ({
      state: createCampaignStateCache(db),
      acquire: createCampaignRateLimiter(queue.client, env.HERALD_QUEUE_PREFIX),
    }),
  },
  CampaignBatchProcessor,
  SchedulerService,
];
