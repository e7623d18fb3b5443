import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { WorkerEnv } from '@herald/config';
import type { Db } from '@herald/db';
import type { Queue } from 'bull';
import { PRISMA, WORKER_ENV } from '../core/injection-tokens.js';
import { type PeriodicTask, startPeriodicTask } from '../core/periodic-task.js';
import { BULK_DELIVERY_QUEUE, DELIVERY_QUEUE } from './delivery-queue.js';
import { CAMPAIGN_QUEUE } from '../campaigns/campaign-queue.js';
import { requeueStrandedCampaignMessages } from '../worker-recovery/requeue-stranded-campaign-messages.js';
import { reconcileQueue } from './reconcile-queue.js';

/**
 * Runs the reconciler once at start-up and then periodically: stored single messages without a job,
 * then campaign messages no live job would send (queued or claimed for longer than STALE_CLAIM_MS).
 */
@Injectable()
export class ReconcilerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Reconciler');
  private task: PeriodicTask | undefined;
  /** Where the next pass of reconcileQueue goes on (undefined: from the beginning). */
  private cursor: string | undefined;

  constructor(
    @InjectQueue(DELIVERY_QUEUE) private readonly transactionalQueue: Queue,
    @InjectQueue(BULK_DELIVERY_QUEUE) private readonly bulkQueue: Queue,
    @InjectQueue(CAMPAIGN_QUEUE) private readonly campaignQueue: Queue,
    @Inject(PRISMA) private readonly db: Db,
    @Inject(WORKER_ENV) private readonly env: WorkerEnv,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.task = startPeriodicTask({
      intervalMs: this.env.RECONCILE_INTERVAL_MS,
      run: () => this.run(),
      onError: (error) => this.logger.error(`reconcile failed: ${error.message}`),
    });
    // The worker is ready once the first pass is done.
    await this.task.runNow();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task?.stop();
  }

  private async run(): Promise<void> {
    const queues = { transactional: this.transactionalQueue, bulk: this.bulkQueue };
    const { enqueued, next } = await reconcileQueue(this.db, queues, {
      olderThanMs: 5000,
      staleClaimMs: this.env.STALE_CLAIM_MS,
      after: this.cursor,
    });
    // One page a pass, going round: a backlog of any size costs each pass the same.
    this.cursor = next;
    if (enqueued > 0) this.logger.log(`enqueued ${enqueued} stored message(s) that had no job`);
    const stranded = await requeueStrandedCampaignMessages(this.db, {
      campaignQueue: this.campaignQueue,
      bulkQueue: this.bulkQueue,
      batchSize: this.env.CAMPAIGN_BATCH_SIZE,
      olderThanMs: this.env.STALE_CLAIM_MS,
    });
    if (stranded > 0) this.logger.log(`enqueued ${stranded} campaign message(s) that no job would send`);
  }
}
