import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { WorkerEnv } from '@herald/config';
import type { Job, Queue } from 'bull';
import { WORKER_ENV } from '../core/injection-tokens.js';
import { deliverMessage } from './deliver-message.js';
import { DeliveryContext } from './delivery-context.js';
import { DELIVERY_QUEUE, SEND_MESSAGE_JOB, SendMessageJobSchema } from './delivery-queue.js';

class RetryableDeliveryError extends Error {}

/** Consumes send-message jobs. Concurrency comes from WORKER_CONCURRENCY, so it is registered at start-up. */
@Injectable()
export class DeliveryProcessor implements OnModuleInit {
  private readonly logger = new Logger('DeliveryProcessor');

  constructor(
    @InjectQueue(DELIVERY_QUEUE) private readonly queue: Queue,
    @Inject(WORKER_ENV) private readonly env: WorkerEnv,
    private readonly context: DeliveryContext,
  ) {}

  onModuleInit(): void {
    void this.queue.process(SEND_MESSAGE_JOB, this.env.WORKER_CONCURRENCY, (job: Job) => this.handle(job));
    this.queue.on('failed', (job, error) => {
      if (!(error instanceof RetryableDeliveryError))
        this.logger.error(`job ${job.id} failed: ${error.message}`);
    });
  }

  async handle(job: Job): Promise<string> {
    const payload = SendMessageJobSchema.safeParse(job.data);
    if (!payload.success) {
      // A job this worker cannot read is kept as failed for an operator; retrying cannot help.
      await job.discard();
      throw new Error(`unreadable ${SEND_MESSAGE_JOB} job ${job.id}: ${payload.error.message}`);
    }
    const attempts = job.opts.attempts ?? 1;
    const result = await deliverMessage(this.context.deps, {
      messageId: payload.data.messageId,
      isFinalAttempt: job.attemptsMade + 1 >= attempts,
    });
    if (result.outcome === 'retry') throw new RetryableDeliveryError(result.reason);
    return result.outcome;
  }
}
