import { ApiEnvSchema, parseEnv, WorkerEnvSchema } from '@herald/config';
import { createPrismaClient, type Db } from '@herald/db';
import { startMailCatcher, type MailCatcher, type RcptHandler } from '@herald/mail-catcher';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes, randomUUID } from 'node:crypto';
import { createApiApp } from '../../src/create-api-app.js';
import { createWorkerApp } from '../../src/create-worker-app.js';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/herald_test';
export const API_KEY = 'test-api-key-0123456789abcdef';
export const SECRET = `t1:${'s'.repeat(40)}`;

export interface Harness {
  url: string;
  db: Db;
  catcher: MailCatcher;
  api: NestExpressApplication;
  worker: INestApplicationContext | null;
  env: Record<string, string>;
  request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any }>;
  startWorker(overrides?: Record<string, string>): Promise<INestApplicationContext>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The API in this process on a random port, optionally the worker, a real SMTP server on a random
 * port, and a Bull queue prefix of its own, so test files running in parallel never share a queue.
 */
export async function startHarness(
  options: { worker?: boolean; rcptHandler?: RcptHandler; env?: Record<string, string> } = {},
): Promise<Harness> {
  const catcher = await startMailCatcher({
    smtpPort: 0,
    httpPort: null,
    ...(options.rcptHandler && { rcptHandler: options.rcptHandler }),
  });
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    HERALD_QUEUE_PREFIX: `test-${randomUUID().slice(0, 8)}`,
    HERALD_API_KEY: API_KEY,
    HERALD_SECRET: SECRET,
    SMTP_URL: catcher.smtpUrl,
    DELIVERY_BACKOFF_MS: '100',
    DELIVERY_ATTEMPTS: '4',
    PUBLIC_WEB_URL: 'https://prefs.example.test',
    MAIL_DOMAIN: 'mail.example.test',
    ...options.env,
  };
  const db = createPrismaClient({ databaseUrl: DATABASE_URL, maxConnections: 4 });
  const api = await createApiApp(parseEnv(ApiEnvSchema, env), { logger: false });
  await api.listen(0, '127.0.0.1');
  const url = (await api.getUrl()).replace('[::1]', '127.0.0.1');
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
    async request(method, path, body, headers = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${API_KEY}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body: parsed };
    },
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

/** Polls the message until it leaves queued/sending. */
export async function waitForStatus(harness: Harness, id: string, timeoutMs = 15_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await harness.request('GET', `/v1/messages/${id}`);
    if (body.status !== 'queued' && body.status !== 'sending') return body;
    if (Date.now() > deadline) throw new Error(`message ${id} still ${body.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
