import 'reflect-metadata';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ApiEnv } from '@herald/config';
import { useAddressHashKey } from '@herald/preferences';
import { ApiModule } from './api.module.js';
import { HttpExceptionFilter } from './core/http-exception.filter.js';
import type { HttpsFetcher } from './hooks/https-fetcher.js';
import { readHookBody } from './hooks/read-hook-body.js';
import { withMetrics } from './metrics/metrics.module.js';
import { createProcessLogger } from './logging/create-process-logger.js';
import { logRequests } from './logging/log-requests.js';

/** Builds the HTTP API; main.ts listens, tests call this directly. */
export async function createApiApp(
  env: ApiEnv,
  options: { logger?: false; snsFetch?: HttpsFetcher } = {},
): Promise<NestExpressApplication> {
  // Suppressions and feedback reports are keyed by it: the same key in every API and worker.
  useAddressHashKey(env.HERALD_ADDRESS_HASH_KEY);
  // With the /metrics server beside the API when API_METRICS_PORT is set (metrics/metrics.module.ts).
  const root = withMetrics(ApiModule.forRoot(env, options), env);
  const logger = options.logger === false ? null : createProcessLogger(env, 'api');
  const app = await NestFactory.create<NestExpressApplication>(root, {
    bodyParser: false,
    logger: logger ?? false,
  });
  app.disable('x-powered-by');
  if (logger) app.use(logRequests(logger));
  // Provider webhooks keep their raw bytes (signatures are over them); the JSON parser then skips them.
  app.use('/hooks', readHookBody);
  // POST /v1/messages/batch carries up to 1,000 messages: its own limit, read first (the general
  // parser then leaves the body alone).
  app.useBodyParser('json', { limit: env.HERALD_MAX_BATCH_BODY_BYTES, strict: true, type: isBatchJson });
  app.useBodyParser('json', { limit: env.HERALD_MAX_BODY_BYTES, strict: true });
  app.useGlobalFilters(new HttpExceptionFilter());
  app.enableShutdownHooks();
  return app;
}

/** A JSON body for POST /v1/messages/batch (as the general parser's `application/json` matches). */
function isBatchJson(request: IncomingMessage): boolean {
  return (
    /^\/v1\/messages\/batch\/?(\?|$)/.test(request.url ?? '') &&
    /^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '')
  );
}
