import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { WorkerEnv } from '@herald/config';
import type { Job, Queue } from 'bull';
import { WORKER_ENV } from '../core/injection-tokens.js';
import { DeliveryContext } from '../delivery/delivery-context.js';
import { BULK_DELIVERY_QUEUE, sendMessageJob } from '../delivery/delivery-queue.js';
import { CAMPAIGN_QUEUE, SEND_BATCH_JOB, SendBatchJobSchema, toSendBatchJobs } from './campaign-queue.js';
import { sendCampaignBatch } from './send-campaign-batch.js';

/** Consumes send-batch jobs, CAMPAIGN_CONCURRENCY at a time, with the bulk stream's send slots. */
@Injectable()
export class CampaignBatchProcessor implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('CampaignBatchProcessor');
  private stopping = false;

  constructor(
    @InjectQueue(CAMPAIGN_QUEUE) private readonly queue: Queue,
    @InjectQueue(BULK_DELIVERY_QUEUE) private readonly bulkQueue: Queue,
    @Inject(WORKER_ENV) private readonly env: WorkerEnv,
    private readonly context: DeliveryContext,
  ) {}

  onModuleInit(): void {
    void this.queue.process(SEND_BATCH_JOB, this.env.CAMPAIGN_CONCURRENCY, (job: Job) => this.handle(job));
    this.queue.on('failed', (job, error) => this.logger.error(`job ${job.id} failed: ${error.message}`));
  }

  /** A batch waiting for its campaign's rate must not hold the shutdown for minutes. */
  beforeApplicationShutdown(): void {
    this.stopping = true;
  }

  async handle(job: Job): Promise<Record<string, number>> {
    const payload = SendBatchJobSchema.safeParse(job.data);
    if (!payload.success) {
      await job.discard();
      throw new Error(`unreadable ${SEND_BATCH_JOB} job ${job.id}: ${payload.error.message}`);
    }
    const { campaignId, messageIds } = payload.data;
    // The bulk stream's promotional lane: a batch stops taking its rate while the relay it goes to is down.
    const summary = await sendCampaignBatch(this.context.campaignBatches, {
      campaignId,
      messageIds,
      isFinalAttempt: this.env.DELIVERY_ATTEMPTS <= 1,
      stopping: () => this.stopping,
    });
    if (summary.retry.length > 0) {
      // Temporary SMTP trouble: each such message is retried alone, with the single-send backoff
      // and the attempts that remain (the batch was the first), on the bulk stream: a campaign the
      // server throttles keeps retrying without taking a transactional worker or send slot.
      await this.bulkQueue.addBulk(
        summary.retry.map((id) => {
          const job = sendMessageJob(id);
          return {
            ...job,
            opts: {
              ...job.opts,
              attempts: this.env.DELIVERY_ATTEMPTS - 1,
              delay: this.env.DELIVERY_BACKOFF_MS,
            },
          };
        }),
      );
    }
    if (summary.early.length > 0) {
      await this.queue.addBulk(toSendBatchJobs(campaignId, summary.early, this.env.CAMPAIGN_BATCH_SIZE));
    }
    return summary.outcomes;
  }
}
