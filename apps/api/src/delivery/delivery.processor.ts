import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { WorkerEnv } from '@herald/config';
import type { Job, Queue } from 'bull';
import { WORKER_ENV } from '../core/injection-tokens.js';
import { deliverMessage } from './deliver-message.js';
import { DeliveryContext } from './delivery-context.js';
import type { DeliveryDeps, DeliveryResult } from './delivery-deps.js';
import {
  BULK_DELIVERY_QUEUE,
  DELIVERY_QUEUE,
  SEND_MESSAGE_JOB,
  SendMessageJobSchema,
} from './delivery-queue.js';
import { HeldDeliveryError, holdJob } from './smtp-circuit-breaker-hold.js';

class RetryableDeliveryError extends Error {}

/** A job a stopping worker hands back waits this long, past the moment its queue stops fetching. */
const SHUTDOWN_HOLD_MS = 1000;

/**
 * Consumes send-message jobs of both streams, each queue with its own concurrency
 * (TRANSACTIONAL_CONCURRENCY, WORKER_CONCURRENCY) and its stream's send slots, registered at start-up.
 */
@Injectable()
export class DeliveryProcessor implements OnModuleInit {
  private readonly logger = new Logger('DeliveryProcessor');

  constructor(
    @InjectQueue(DELIVERY_QUEUE) private readonly transactionalQueue: Queue,
    @InjectQueue(BULK_DELIVERY_QUEUE) private readonly bulkQueue: Queue,
    @Inject(WORKER_ENV) private readonly env: WorkerEnv,
    private readonly context: DeliveryContext,
  ) {}

  onModuleInit(): void {
    const { transactional, bulk } = this.context.streams;
    this.consume(this.transactionalQueue, this.env.TRANSACTIONAL_CONCURRENCY, transactional);
    this.consume(this.bulkQueue, this.env.WORKER_CONCURRENCY, bulk);
  }

  private consume(queue: Queue, concurrency: number, deps: DeliveryDeps): void {
    void queue.process(SEND_MESSAGE_JOB, concurrency, (job: Job) => this.handle(deps, job));
    queue.on('failed', (job, error) => {
      if (!(error instanceof RetryableDeliveryError || error instanceof HeldDeliveryError))
        this.logger.error(`job ${job.id} failed: ${error.message}`);
    });
  }

  async handle(deps: DeliveryDeps, job: Job): Promise<string> {
    const payload = SendMessageJobSchema.safeParse(job.data);
    if (!payload.success) {
      // A job this worker cannot read is kept as failed for an operator; retrying cannot help.
      await job.discard();
      throw new Error(`unreadable ${SEND_MESSAGE_JOB} job ${job.id}: ${payload.error.message}`);
    }
    const { messageId } = payload.data;
    // The SMTP relay cannot be reached: the job waits, unclaimed, without using an attempt.
    if (deps.smtp.holding()) throw holdJob(job, deps.smtp.holdDelayMs(), 'smtp unavailable');
    const attempts = job.opts.attempts ?? 1;
    const done = deps.store.track([messageId]);
    let result: DeliveryResult;
    try {
      result = await deliverMessage(deps, { messageId, isFinalAttempt: job.attemptsMade + 1 >= attempts });
    } catch (error) {
      // Nothing was accepted by SMTP (an accepted message is never thrown for): the claim goes back, so
      // the retry, or the reconciler once the job has failed for good, can claim it again.
      await deps.store.release([messageId], (error as Error).message).catch(() => undefined);
      throw error;
    } finally {
      done();
    }
    if (result.outcome === 'retry') throw new RetryableDeliveryError(result.reason);
    if (result.outcome === 'held') {
      // Turned away by a worker shutting down (its slots closed): another worker may take it soon,
      // after this one's queue has stopped fetching; otherwise held for as long as the result says,
      // or until the relay is back.
      const delayMs = deps.sendSlots.closed ? SHUTDOWN_HOLD_MS : (result.delayMs ?? deps.smtp.holdDelayMs());
      throw holdJob(job, delayMs, result.reason);
    }
    return result.outcome;
  }
}
