import { Logger } from '@nestjs/common';
import { EnvError, parseEnv, WorkerEnvSchema } from '@herald/config';
import type { Db } from '@herald/db';
import { clearQueueEpochs } from './campaigns/clear-queue-epochs.js';
import { PRISMA } from './core/injection-tokens.js';
import { createWorkerApp } from './create-worker-app.js';
import { WORKER_LEASE } from './worker-recovery/worker-lease-holder.js';
import type { WorkerLease } from './worker-recovery/worker-lease.js';

try {
  const env = parseEnv(WorkerEnvSchema, process.env);
  const app = await createWorkerApp(env);
  const logger = new Logger('Herald');
  // The orderly shutdown (create-worker-app.ts) waits for the messages already in SMTP; a server that
  // stalls must not hold the process beyond WORKER_SHUTDOWN_MS. Then the lease goes, so another worker
  // takes what is left over at once (reading the sent marks, as after a crash), the campaigns' epochs
  // are cleared so their messages this worker handed back are enqueued again, and the process exits.
  process.once('SIGTERM', () => {
    setTimeout(() => {
      logger.error(`herald worker: shutdown took longer than ${env.WORKER_SHUTDOWN_MS} ms, exiting`);
      void app
        .get<WorkerLease>(WORKER_LEASE)
        .stop()
        .then(() => clearQueueEpochs(app.get<Db>(PRISMA)))
        .catch(() => undefined)
        .finally(() => process.exit(1));
    }, env.WORKER_SHUTDOWN_MS).unref();
  });
  logger.log(
    `herald worker started: concurrency ${env.WORKER_CONCURRENCY}, SMTP ${new URL(env.SMTP_URL).host}`,
  );
} catch (error) {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
}
