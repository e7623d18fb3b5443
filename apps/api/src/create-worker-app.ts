import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { WorkerEnv } from '@herald/config';
import { WorkerModule } from './worker.module.js';

/** Builds the worker: Bull processors and the reconciler, no HTTP. */
export async function createWorkerApp(
  env: WorkerEnv,
  options: { logger?: false } = {},
): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(env), {
    ...(options.logger === false && { logger: false }),
  });
  app.enableShutdownHooks();
  return app;
}
