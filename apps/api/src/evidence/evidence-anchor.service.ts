import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { WorkerEnv } from '@herald/config';
import type { Db } from '@herald/db';
import { writeAnchor } from '@herald/preferences';
import { PRISMA, WORKER_ENV } from '../core/injection-tokens.js';
import { type PeriodicTask, startPeriodicTask } from '../core/periodic-task.js';

/**
 * Every HERALD_EVIDENCE_INTERVAL_MS, signs a Merkle root over the consent-log rows written since the
 * last anchor (decision 023). Workers take turns (writeAnchor's lock); a run that cannot wait for a
 * long consent write gives up after a few seconds, and the next run covers its rows.
 */
@Injectable()
export class EvidenceAnchorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EvidenceAnchor');
  private task: PeriodicTask | undefined;

  constructor(
    @Inject(PRISMA) private readonly db: Db,
    @Inject(WORKER_ENV) private readonly env: WorkerEnv,
  ) {}

  onApplicationBootstrap(): void {
    const key = this.env.HERALD_EVIDENCE_KEY.key;
    this.task = startPeriodicTask({
      intervalMs: this.env.HERALD_EVIDENCE_INTERVAL_MS,
      run: async () => {
        // An anchor holds at most 100,000 rows: after a backlog (the first run after the migration),
        // anchors follow one another until the log is covered.
        for (;;) {
          const anchor = await writeAnchor(this.db, { privateKey: key.privateKey, keyId: key.keyId });
          if (!anchor) return;
          this.logger.log(
            `anchored ${anchor.rowCount} consent-log row(s), evidence_seq (${anchor.fromSeq}, ${anchor.toSeq}], root ${anchor.root.toString('hex')}`,
          );
          if (!anchor.more || this.task?.stopping) return;
        }
      },
      onError: (error) => this.logger.warn(`consent-log anchor not written this time: ${error.message}`),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task?.stop();
  }
}
