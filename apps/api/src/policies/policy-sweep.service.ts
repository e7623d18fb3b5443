import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { WorkerEnv } from '@herald/config';
import type { Db } from '@herald/db';
import type { Job, Queue } from 'bull';
import { PRISMA, WORKER_ENV } from '../core/injection-tokens.js';
import { type PeriodicTask, startPeriodicTask } from '../core/periodic-task.js';
import { BULK_DELIVERY_QUEUE } from '../delivery/delivery-queue.js';
import { markAtRiskVersions } from './mark-at-risk-versions.js';
import { POLICY_QUEUE, SWEEP_POLICY_JOB, SweepPolicyJobSchema } from './policy-queue.js';
import type { PolicySweepDeps } from './policy-sweep-deps.js';
import { type SweepResult, sweepPolicyVersion } from './sweep-policy-version.js';

/**
 * Sweeps announced policy versions: at once when one is announced (a sweep-policy job), and every
 * HERALD_POLICY_SWEEP_INTERVAL_MS for contacts created since, failed emails and the at-risk check.
 */
@Injectable()
export class PolicySweepService implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('PolicySweep');
  private readonly deps: PolicySweepDeps;
  private task: PeriodicTask | undefined;

  constructor(
    @InjectQueue(POLICY_QUEUE) private readonly policyQueue: Queue,
    @InjectQueue(BULK_DELIVERY_QUEUE) bulkQueue: Queue,
    @Inject(PRISMA) private readonly db: Db,
    @Inject(WORKER_ENV) private readonly env: WorkerEnv,
  ) {
    this.deps = { db, queue: bulkQueue, log: (message) => this.logger.warn(message) };
  }

  onModuleInit(): void {
    void this.policyQueue.process(SWEEP_POLICY_JOB, 1, (job: Job) => this.handle(job));
  }

  onApplicationBootstrap(): void {
    this.task = startPeriodicTask({
      intervalMs: this.env.HERALD_POLICY_SWEEP_INTERVAL_MS,
      run: () => this.sweepAll(),
      onError: (error) => this.logger.error(`policy sweep failed: ${error.message}`),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task?.stop();
  }

  async handle(job: Job): Promise<SweepResult | null> {
    const payload = SweepPolicyJobSchema.safeParse(job.data);
    if (!payload.success) {
      await job.discard();
      throw new Error(`unreadable ${SWEEP_POLICY_JOB} job ${job.id}: ${payload.error.message}`);
    }
    return this.sweep(payload.data.policyVersionId);
  }

  /** Every announced version not yet effective, then the at-risk check. */
  private async sweepAll(): Promise<void> {
    const versions = await this.db.policyVersion.findMany({
      where: { announcedAt: { not: null }, effectiveAt: { gt: new Date() } },
      select: { id: true },
      orderBy: { effectiveAt: 'asc' },
    });
    for (const { id } of versions) {
      if (this.stopping()) return;
      await this.sweep(id);
    }
    await markAtRiskVersions(this.db, {
      atRiskDays: this.env.HERALD_POLICY_AT_RISK_DAYS,
      warn: (message) => this.logger.warn(message),
    });
  }

  private stopping(): boolean {
    return this.task?.stopping === true;
  }

  private async sweep(policyVersionId: string): Promise<SweepResult | null> {
    const result = await sweepPolicyVersion(this.deps, policyVersionId, {
      retryAfterMs: this.env.HERALD_POLICY_RETRY_INTERVAL_MS,
      stopping: () => this.stopping(),
    });
    if (result && (result.noticed > 0 || result.emailed > 0 || result.retried > 0)) {
      this.logger.log(
        `policy ${policyVersionId}: ${result.noticed} notice(s) posted, ${result.emailed} email(s) queued, ${result.retried} retried`,
      );
    }
    return result;
  }
}
