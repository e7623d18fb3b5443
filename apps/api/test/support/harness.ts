import { ApiEnvSchema, parseEnv, WorkerEnvSchema } from '@herald/config';
import { createPrismaClient, type Db } from '@herald/db';
import {
  createApiClient,
  heraldEnvironment,
  startTestSmtpServer,
  type ApiClient,
  type JsonBody,
  type TestSmtpServer,
  type TestSmtpServerOptions,
} from '@herald/test-support';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { createApiApp } from '../../src/create-api-app.js';
import { createWorkerApp } from '../../src/create-worker-app.js';

export interface Harness {
  url: string;
  db: Db;
  catcher: TestSmtpServer;
  api: NestExpressApplication;
  worker: INestApplicationContext | null;
  env: Record<string, string>;
  request: ApiClient['call'];
  startWorker(overrides?: Record<string, string>): Promise<INestApplicationContext>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The API in this process on a random port, optionally the worker, a controllable SMTP server, the
 * test file's own database and a Bull queue prefix of its own (from @herald/test-support). This is
 * the one helper that imports the app, which is why it lives here and not in the package.
 */
export async function startHarness(
  options: { worker?: boolean; smtp?: TestSmtpServerOptions; env?: Record<string, string> } = {},
): Promise<Harness> {
  const catcher = await startTestSmtpServer(options.smtp);
  const env: Record<string, string> = {
    ...heraldEnvironment('test'),
    NODE_ENV: 'test',
    SMTP_URL: catcher.smtpUrl,
    DELIVERY_BACKOFF_MS: '100',
    DELIVERY_ATTEMPTS: '4',
    PUBLIC_WEB_URL: 'https://prefs.example.test',
    MAIL_DOMAIN: 'mail.example.test',
    ...options.env,
  };
  const db = createPrismaClient({ databaseUrl: env.DATABASE_URL ?? '', maxConnections: 4 });
  const api = await createApiApp(parseEnv(ApiEnvSchema, env), { logger: false });
  await api.listen(0, '127.0.0.1');
  const url = (await api.getUrl()).replace('[::1]', '127.0.0.1');
  const client = createApiClient(url, env.HERALD_API_KEY ?? '');
  let worker: INestApplicationContext | null = null;

  const harness: Harness = {
    url,
    db,
    catcher,
    api,
    env,
    get worker() {
      return worker;
    },
    request: client.call,
    async startWorker(overrides = {}) {
      worker = await createWorkerApp(parseEnv(WorkerEnvSchema, { ...env, ...overrides }), { logger: false });
      return worker;
    },
    async stopWorker() {
      await worker?.close();
      worker = null;
    },
    async close() {
      await worker?.close();
      await api.close();
      await catcher.close();
      await db.$disconnect();
    },
  };
  if (options.worker) await harness.startWorker();
  return harness;
}

export const uniqueEmail = (label = 'contact') => `${label}-${randomBytes(6).toString('hex')}@example.test`;

/**
 * Creates the contact through POST /v1/contacts, as a company adds its subscribers, before anything
 * is sent to it: a contact that a send creates takes no marketing consent from the category
 * defaults (decision 014), so a newsletter to a fresh `to: { email }` is suppressed `no-consent`.
 */
export async function addSubscriber(harness: Harness, email: string): Promise<string> {
  const created = await harness.request('POST', '/v1/contacts', { email });
  if (created.status !== 200 && created.status !== 201)
    throw new Error(`contact not created: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.id as string;
}

/** Polls the message until the worker has decided it (no longer queued or sending). */
export function waitForStatus(harness: Harness, id: string, timeoutMs = 15_000): Promise<JsonBody> {
  return createApiClient(harness.url, harness.env.HERALD_API_KEY ?? '').settled(id, timeoutMs);
}
