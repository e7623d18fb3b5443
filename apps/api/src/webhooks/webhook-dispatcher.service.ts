import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { WorkerEnv } from '@herald/config';
import type { Db } from '@herald/db';
import { PRISMA, WORKER_ENV } from '../core/injection-tokens.js';
import { type PeriodicTask, startPeriodicTask } from '../core/periodic-task.js';
import { fanOutWebhookEvents } from './fan-out-webhook-events.js';
import { sendWebhookDeliveries } from './send-webhook-deliveries.js';

/** Outbox rows moved per statement; deliveries sent at once per pass. */
const FAN_OUT_BATCH = 1000;
const SEND_BATCH = 200;

/**
 * The worker's webhook loop, every WEBHOOK_POLL_MS: moves new outbox events to their endpoints'
 * deliveries, then sends the due ones. Its own timer and database queries, no Bull queue: it never
 * shares a queue or a job slot with mail.
 */
@Injectable()
export class WebhookDispatcherService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private task: PeriodicTask | undefined;

  constructor(
    @Inject(PRISMA) private readonly db: Db,
    @Inject(WORKER_ENV) private readonly env: WorkerEnv,
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
        onDisabled: (endpoint, reason) =>
          this.logger.error(`webhook endpoint ${endpoint.id} (${endpoint.url}) disabled: ${reason}`),
      });
      if (sent < SEND_BATCH) break;
    }
  }
}
