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
import { within } from '../core/within.js';
import { DELIVERY_QUEUE, sendMessageJob } from '../delivery/delivery-queue.js';
import { ENQUEUE_TIMEOUT_MS } from '../messages/store-messages.js';
import { fanOutWebhookEvents } from './fan-out-webhook-events.js';
import type { EndpointDisabledMail } from './queue-endpoint-disabled-mail.js';
import { sendWebhookDeliveries } from './send-webhook-deliveries.js';

/**
 * Outbox rows moved per statement; deliveries sent at once per pass (across every endpoint: a pass
 * waits for its slowest receiver, up to WEBHOOK_TIMEOUT_MS). 500 reached 2,366 events/s to a local
 * receiver where 200 reached 1,462 (BENCH_ONLY=lists npm run bench).
 */
const FAN_OUT_BATCH = 1000;
const SEND_BATCH = 500;

/**
 * The worker's webhook loop, every WEBHOOK_POLL_MS: moves new outbox events to their endpoints'
 * deliveries, then sends the due ones. Its own timer and database queries, no Bull queue: it never
 * shares a queue or a job slot with mail. Only when it disables an endpoint does it enqueue mail:
 * the owners' `webhook-endpoint-disabled` messages, stored with the disable, on the transactional
 * delivery queue.
 */
@Injectable()
export class WebhookDispatcherService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private task: PeriodicTask | undefined;

  constructor(
    @Inject(PRISMA) private readonly db: Db,
    @Inject(WORKER_ENV) private readonly env: WorkerEnv,
    @InjectQueue(DELIVERY_QUEUE) private readonly deliveryQueue: Queue,
  ) {}

  onApplicationBootstrap(): void {
    this.task = startPeriodicTask({
      intervalMs: this.env.WEBHOOK_POLL_MS,
      run: () => this.run(),
      onError: (error) => this.logger.error(`webhook pass failed: ${error.message}`),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task?.stop();
  }

  private async run(): Promise<void> {
    while (
      !this.task?.stopping &&
      (await fanOutWebhookEvents(this.db, { batchSize: FAN_OUT_BATCH })) === FAN_OUT_BATCH
    );
    while (!this.task?.stopping) {
      const sent = await sendWebhookDeliveries(this.db, {
        batchSize: SEND_BATCH,
        timeoutMs: this.env.WEBHOOK_TIMEOUT_MS,
        backoffMs: this.env.WEBHOOK_BACKOFF_MS,
        backoffMaxMs: this.env.WEBHOOK_BACKOFF_MAX_MS,
        retryWindowMs: this.env.WEBHOOK_RETRY_WINDOW_MS,
        consoleWebhooksUrl: `${this.env.PUBLIC_WEB_URL.replace(/\/+$/, '')}/admin/webhooks`,
        onDisabled: (endpoint, reason, mail) => this.disabled(endpoint, reason, mail),
      });
      if (sent < SEND_BATCH) break;
    }
  }

  /** Says so in the log, and enqueues the owners' mail (the reconciler does if Redis does not take it). */
  private async disabled(
    endpoint: { id: string; url: string },
    reason: string,
    mail: EndpointDisabledMail,
  ): Promise<void> {
    this.logger.error(`webhook endpoint ${endpoint.id} (${endpoint.url}) disabled: ${reason}`);
    if (mail.skipped)
      this.logger.warn(`no owner was mailed about webhook endpoint ${endpoint.id}: ${mail.skipped}`);
    if (mail.messageIds.length === 0) return;
    try {
      await within(
        this.deliveryQueue.addBulk(mail.messageIds.map((id) => sendMessageJob(id))),
        ENQUEUE_TIMEOUT_MS,
        'Redis',
      );
    } catch (error) {
      this.logger.warn(
        `${mail.messageIds.length} owner mail(s) about webhook endpoint ${endpoint.id} stored but not enqueued (${(error as Error).message}); the reconciler will enqueue them`,
      );
    }
  }
}
