import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { WorkerEnv } from '@herald/config';
import type { Db } from '@herald/db';
import type { SigningKey } from '@herald/preferences';
import type { TemplateRenderer } from '@herald/templates';
import type { Job, Queue } from 'bull';
import { PRISMA, SIGNING_KEYS, TEMPLATE_RENDERER, WORKER_ENV } from '../core/env.token.js';
import { type DeliveryDeps, deliverMessage } from './deliver-message.js';
import { createDeliveryStore } from './delivery-store.js';
import { DELIVERY_QUEUE, SEND_MESSAGE_JOB, SendMessageJobSchema } from './delivery-queue.js';
import { createMailTransport, type MailTransport } from './mail-transport.js';

export class RetryableDeliveryError extends Error {}

/** Consumes send-message jobs. Concurrency comes from WORKER_CONCURRENCY, so it is registered at start-up. */
@Injectable()
export class DeliveryProcessor implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('DeliveryProcessor');
  private readonly transport: MailTransport;
  private readonly deps: DeliveryDeps;

  constructor(
    @InjectQueue(DELIVERY_QUEUE) private readonly queue: Queue,
    @Inject(WORKER_ENV) private readonly env: WorkerEnv,
    @Inject(PRISMA) db: Db,
    @Inject(TEMPLATE_RENDERER) renderer: TemplateRenderer,
    @Inject(SIGNING_KEYS) keys: SigningKey[],
  ) {
    this.transport = createMailTransport(env);
    this.deps = {
      db,
      renderer,
      transport: this.transport,
      keys,
      sender: {
        publicWebUrl: env.PUBLIC_WEB_URL,
        mailDomain: env.MAIL_DOMAIN,
        mailFrom: env.MAIL_FROM,
        postalAddress: env.HERALD_POSTAL_ADDRESS,
      },
      templates: new Map(),
      store: createDeliveryStore(db, { staleClaimMs: env.STALE_CLAIM_MS }),
    };
  }

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
    const result = await deliverMessage(this.deps, {
      messageId: payload.data.messageId,
      isFinalAttempt: job.attemptsMade + 1 >= attempts,
    });
    if (result.outcome === 'retry') throw new RetryableDeliveryError(result.reason);
    return result.outcome;
  }

  async onApplicationShutdown(): Promise<void> {
    this.transport.close();
  }
}
