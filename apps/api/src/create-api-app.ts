import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ApiEnv } from '@herald/config';
import { ApiModule } from './api.module.js';
import { HttpExceptionFilter } from './core/http-exception.filter.js';

/** Builds the HTTP API; main.ts listens, tests call this directly. */
export async function createApiApp(
  env: ApiEnv,
  options: { logger?: false } = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(env), {
    bodyParser: false,
    ...(options.logger === false && { logger: false }),
  });
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: env.HERALD_MAX_BODY_BYTES, strict: true });
  app.useGlobalFilters(new HttpExceptionFilter());
  app.enableShutdownHooks();
  return app;
}
