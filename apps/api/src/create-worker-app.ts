import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { WorkerEnv } from '@herald/config';
import { useAddressHashKey } from '@herald/preferences';
import { createProcessLogger } from './logging/create-process-logger.js';
import { withMetrics } from './metrics/metrics.module.js';
import { WorkerModule } from './worker.module.js';

/** Builds the worker: Bull processors and the reconciler, no HTTP. */
export async function createWorkerApp(
  env: WorkerEnv,
  options: { logger?: false } = {},
): Promise<INestApplicationContext> {
  // Suppressions and feedback reports are keyed by it: the same key in every API and worker.
  useAddressHashKey(env.HERALD_ADDRESS_HASH_KEY);
  // With the /metrics server beside the worker when METRICS_PORT is set (metrics/metrics.module.ts).
  const root = withMetrics(WorkerModule.forRoot(env), env);
  const logger = options.logger === false ? null : createProcessLogger(env, 'worker');
  const app = await NestFactory.createApplicationContext(root, {
    logger: logger ?? false,
  });
  app.enableShutdownHooks();
  return app;
}
