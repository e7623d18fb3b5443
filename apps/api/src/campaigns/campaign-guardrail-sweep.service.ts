import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { WorkerEnv } from '@herald/config';
import type { Db } from '@herald/db';
import { PRISMA, WORKER_ENV } from '../core/injection-tokens.js';
import { type PeriodicTask, startPeriodicTask } from '../core/periodic-task.js';
import { enforceCampaignGuardrails } from './campaign-guardrails.js';

/**
 * Every few seconds (ten scheduler ticks, at least one second), checks the guardrails of every
 * scheduled or sending campaign whose counters are past a line. Reports and send-time refusals check
 * their own campaign as they are written; this catches the one moment no write does: a campaign
 * whose early complaints or bounces put a rate over its limit before HERALD_GUARDRAIL_MIN_SENT
 * messages had left, once they have. Campaigns below every line cost nothing; the others one
 * bounded count each (campaign-guardrails.ts). Every worker runs it; the pause is one conditional
 * UPDATE, so two workers pause a campaign once.
 */
@Injectable()
export class CampaignGuardrailSweepService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Guardrails');
  private task: PeriodicTask | undefined;

  constructor(
    @Inject(PRISMA) private readonly db: Db,
    @Inject(WORKER_ENV) private readonly env: WorkerEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.task = startPeriodicTask({
      intervalMs: Math.max(1000, this.env.SCHEDULER_INTERVAL_MS * 10),
      run: async () => {
        for (const pause of await enforceCampaignGuardrails(this.db, this.env, 'all')) {
          this.logger.warn(`campaign ${pause.campaignId} paused itself: ${pause.reason}`);
        }
      },
      onError: (error) => this.logger.error(`guardrail sweep failed: ${error.message}`),
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.task?.stop();
  }
}
