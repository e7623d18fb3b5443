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
import { applyStagedImport, takeImport } from './background-import.js';

/** How often an idle worker looks for a background import. */
const POLL_MS = 1000;

/**
 * The worker's background-import loop: takes a queued import (or one whose worker died and whose lease
 * ran out) and applies its staged rows until it is done or the worker stops. An error (the database
 * gone) leaves the import running under its lease, and the next pass after the lease resumes it.
 */
@Injectable()
export class ImportRunnerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Imports');
  private task: PeriodicTask | undefined;

  constructor(
    @Inject(PRISMA) private readonly db: Db,
    @Inject(WORKER_ENV) private readonly env: WorkerEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.task = startPeriodicTask({
      intervalMs: POLL_MS,
      run: () => this.run(),
      onError: (error) => this.logger.error(`import pass failed: ${error.message}`),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task?.stop();
  }

  private async run(): Promise<void> {
    while (!this.task?.stopping) {
      const taken = await takeImport(this.db, this.env.IMPORT_LEASE_MS);
      if (!taken) return;
      this.logger.log(`import ${taken.id}: applying ${taken.totalRows} rows`);
      const finished = await applyStagedImport(this.db, taken, {
        leaseMs: this.env.IMPORT_LEASE_MS,
        concurrency: this.env.IMPORT_CONCURRENCY,
        batchRows: this.env.IMPORT_BATCH_ROWS,
        stopping: () => this.task?.stopping ?? false,
      });
      this.logger.log(`import ${taken.id}: ${finished ? 'finished' : 'left to resume'}`);
    }
  }
}
