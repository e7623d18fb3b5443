import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { WorkerEnv } from '@herald/config';
import type { Db } from '@herald/db';
import type { Queue } from 'bull';
import { CAMPAIGN_QUEUE } from './campaign-queue.js';
import { PRISMA, WORKER_ENV } from '../core/injection-tokens.js';
import { type PeriodicTask, startPeriodicTask } from '../core/periodic-task.js';
import { WORKER_LEASE } from '../worker-recovery/worker-lease-holder.js';
import { DeliveryContext } from '../delivery/delivery-context.js';
import { BULK_DELIVERY_QUEUE, DELIVERY_QUEUE } from '../delivery/delivery-queue.js';
import { claimCampaignWork, completeCampaigns, releaseCampaign } from './claim-campaign-work.js';
import { clearQueueEpochs } from './clear-queue-epochs.js';
import { currentRedisEpoch } from './redis-epoch.js';
import {
  requeueClaimsLeftBehind,
  requeueOrphanedClaims,
} from '../worker-recovery/requeue-orphaned-claims.js';
import { runCampaignWork } from './run-campaign-work.js';
import type { WorkerLease } from '../worker-recovery/worker-lease.js';

/** How often every worker looks for orphaned claims even when no lease lapsed (a safety net). */
const ORPHAN_SCAN_INTERVAL_MS = 10_000;

/**
 * The campaign scheduler, in every worker. Each tick (SCHEDULER_INTERVAL_MS) it reconciles the
 * database, the source of truth, with Redis: claims of dead workers go back to the queue; due,
 * orphaned, resumed or cancelled campaigns are claimed (atomically, so one worker does each) and
 * their fan-out, re-enqueue or finishing runs in the background; finished campaigns are closed.
 * Nothing here is kept only in memory: a worker killed at any point is replaced by any other.
 */
@Injectable()
export class CampaignSchedulerService
  implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown
{
  private readonly logger = new Logger('Scheduler');
  private task: PeriodicTask | undefined;
  private readonly running = new Map<string, Promise<void>>();
  /** When orphaned claims were last looked for, and whether that look left some (see tick). */
  private orphansLookedForAt = 0;
  private orphansLeft = true;

  constructor(
    @Inject(PRISMA) private readonly db: Db,
    @Inject(WORKER_ENV) private readonly env: WorkerEnv,
    @Inject(WORKER_LEASE) private readonly lease: WorkerLease,
    @InjectQueue(CAMPAIGN_QUEUE) private readonly campaignQueue: Queue,
    @InjectQueue(DELIVERY_QUEUE) private readonly deliveryQueue: Queue,
    @InjectQueue(BULK_DELIVERY_QUEUE) private readonly bulkQueue: Queue,
    private readonly delivery: DeliveryContext,
  ) {}

  onApplicationBootstrap(): void {
    this.task = startPeriodicTask({
      intervalMs: this.env.SCHEDULER_INTERVAL_MS,
      run: () => this.tick(),
      onError: (error) => this.logger.error(`scheduler tick failed: ${error.message}`),
    });
  }

  /**
   * The first step of a shutdown (Nest destroys modules before it runs the shutdown hooks below):
   * messages claimed but still waiting for a send slot go back to `queued` at once, so the queues'
   * close below waits only for the messages already in SMTP, not for every claim behind them. (The
   * queues are not paused here: a local pause and the close would both reconnect Bull's blocking
   * client, and the second connect throws; a single send handed back is delayed instead.)
   */
  onModuleDestroy(): void {
    for (const stream of Object.values(this.delivery.streams)) stream.sendSlots.close();
  }

  /**
   * Stops ticking and lets background work stop at a page boundary; lets the queues finish their
   * active jobs (campaign batches stop early, leaving the rest queued); then gives up the lease and
   * the campaigns' epochs, so another worker (or this one, restarted) takes over at once.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.task?.stop();
    await Promise.allSettled(this.running.values());
    // Every queue whose jobs send: the lease must outlive the last send that is under its claim.
    await Promise.allSettled(this.queues().map((queue) => queue.close()));
    try {
      await this.lease.stop();
      await clearQueueEpochs(this.db);
    } catch (error) {
      this.logger.warn(`lease not released: ${(error as Error).message}`);
    }
  }

  private queues(): Queue[] {
    return [this.campaignQueue, this.deliveryQueue, this.bulkQueue];
  }

  private async tick(): Promise<void> {
    // Orphans come from a lapsed lease, which the call deletes and then looks for at once; the full
    // look on every tick is a safety net only, so it runs every ORPHAN_SCAN_INTERVAL_MS and while
    // orphans remain (postponed, or more than one round's worth).
    const scan = this.orphansLeft || Date.now() - this.orphansLookedForAt >= ORPHAN_SCAN_INTERVAL_MS;
    // Until a call completes: one that fails part way (it may have deleted a lapsed lease, the cue
    // for an immediate look, before its look failed) is followed by a full look on the next tick.
    this.orphansLeft = true;
    const orphans = await requeueOrphanedClaims(this.db, {
      deliveryQueue: this.deliveryQueue,
      campaignQueue: this.campaignQueue,
      campaignBatchSize: this.env.CAMPAIGN_BATCH_SIZE,
      keyPrefix: this.env.HERALD_QUEUE_PREFIX,
      scan,
    });
    this.orphansLeft = orphans.postponed + orphans.recovered + orphans.requeued > 0;
    if (orphans.scanned) this.orphansLookedForAt = Date.now();
    if (orphans.recovered + orphans.requeued > 0) {
      this.logger.log(
        `took over ${orphans.recovered + orphans.requeued} claim(s) of a worker that stopped: ${orphans.recovered} had been sent, ${orphans.requeued} requeued`,
      );
    }
    const completed = await completeCampaigns(this.db);
    if (completed.length > 0) this.logger.log(`campaign(s) finished: ${completed.join(', ')}`);
    if (!this.lease.isHeld()) return;
    // This worker's own claims that a delivery left behind when the database failed its writes: no
    // other worker may take them while its lease lives, so it settles them itself, at once.
    const left = await requeueClaimsLeftBehind(this.db, this.delivery.store, {
      workerId: this.lease.workerId,
      deliveryQueue: this.deliveryQueue,
      campaignQueue: this.campaignQueue,
      campaignBatchSize: this.env.CAMPAIGN_BATCH_SIZE,
      keyPrefix: this.env.HERALD_QUEUE_PREFIX,
    });
    if (left.recovered + left.requeued > 0) {
      this.logger.log(
        `settled ${left.recovered + left.requeued} claim(s) its deliveries left behind: ${left.recovered} had been sent, ${left.requeued} requeued`,
      );
    }
    const epoch = await currentRedisEpoch(this.campaignQueue.client, this.env.HERALD_QUEUE_PREFIX);
    const claimed = await claimCampaignWork(this.db, {
      workerId: this.lease.workerId,
      epoch,
      busy: [...this.running.keys()],
    });
    for (const campaign of claimed) {
      const work = runCampaignWork(
        {
          db: this.db,
          campaignQueue: this.campaignQueue,
          workerId: this.lease.workerId,
          epoch,
          fanoutBatchSize: this.env.FANOUT_BATCH_SIZE,
          campaignBatchSize: this.env.CAMPAIGN_BATCH_SIZE,
          stopping: () => this.task?.stopping === true || !this.lease.isHeld(),
        },
        campaign,
      )
        .catch((error: Error) => this.logger.error(`campaign ${campaign.id}: ${error.message}`))
        .finally(async () => {
          await releaseCampaign(this.db, { campaignId: campaign.id, workerId: this.lease.workerId }).catch(
            () => undefined,
          );
          this.running.delete(campaign.id);
        });
      this.running.set(campaign.id, work);
    }
  }
}
