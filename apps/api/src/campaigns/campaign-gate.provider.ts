import type { Provider } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bull';
import type { WorkerEnv } from '@herald/config';
import type { Db } from '@herald/db';
import type { Queue } from 'bull';
import { PRISMA, WORKER_ENV } from '../core/injection-tokens.js';
import { CAMPAIGN_GATE, type CampaignGate } from './campaign-gate.js';
import { CAMPAIGN_QUEUE } from './campaign-queue.js';
import { createCampaignRateLimiter } from './campaign-rate-limiter.js';
import { createCampaignStateCache } from './campaign-state-cache.js';

/** The campaign gate the send path asks before a campaign message goes: state cache and shared rate. */
export const campaignGateProvider: Provider = {
  provide: CAMPAIGN_GATE,
  inject: [PRISMA, WORKER_ENV, getQueueToken(CAMPAIGN_QUEUE)],
  useFactory: (db: Db, env: WorkerEnv, queue: Queue): CampaignGate => ({
    state: createCampaignStateCache(db),
    acquire: createCampaignRateLimiter(queue.client, env.HERALD_QUEUE_PREFIX),
  }),
};
