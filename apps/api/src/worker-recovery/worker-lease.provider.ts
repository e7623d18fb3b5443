import type { Provider } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bull';
import type { WorkerEnv } from '@herald/config';
import type { Db } from '@herald/db';
import type { Queue } from 'bull';
import { CAMPAIGN_QUEUE } from '../campaigns/campaign-queue.js';
import { PRISMA, WORKER_ENV } from '../core/injection-tokens.js';
import { createSentMarker } from './sent-marks.js';
import { WORKER_LEASE } from './worker-lease-holder.js';
import { WorkerLease } from './worker-lease.js';

/**
 * This worker's lease. It is taken before anything consumes a job (providers resolve before any
 * module starts), so every claim this worker makes is covered by it.
 */
export const workerLeaseProvider: Provider = {
  provide: WORKER_LEASE,
  inject: [PRISMA, WORKER_ENV, getQueueToken(CAMPAIGN_QUEUE)],
  useFactory: async (db: Db, env: WorkerEnv, queue: Queue) => {
    const lease = new WorkerLease({
      db,
      leaseMs: env.WORKER_LEASE_MS,
      markSent: (workerId) => createSentMarker(queue.client, env.HERALD_QUEUE_PREFIX, workerId),
      onError: (error) => console.error(`worker lease not renewed: ${error.message}`),
      onLost: (lostId) =>
        console.error(`worker lease ${lostId} lapsed while this worker stalled: its claims are given up`),
    });
    await lease.start();
    return lease;
  },
};
