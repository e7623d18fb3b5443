import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startHerald,
  startRedisServer,
  startTestSmtpServer,
  type Herald,
  type RedisServer,
  type TestSmtpServer,
} from '@herald/test-support';
import { randomBytes } from 'node:crypto';

/**
 * Redis goes away and comes back empty, as after a restart without persistence, under the built API
 * and worker processes: callers are still answered, nothing accepted is lost, and no process has to
 * be restarted. The Redis server is this file's own, so stopping it disturbs no other test.
 */
let redis: RedisServer;
let catcher: TestSmtpServer;
let herald: Herald;

const notice = (email: string) => ({
  template: 'service-notice',
  to: { email },
  data: { title: 'Maintenance', body: 'Read-only for 20 minutes.' },
});

/** A hung request fails the test instead of waiting for the test timeout. */
const post = async (body: unknown) => {
  const response = await fetch(`${herald.apiUrl}/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${herald.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(3_000),
  });
  return { status: response.status, body: (await response.json()) as { id: string; status: string } };
};

const health = async () => {
  const response = await fetch(`${herald.apiUrl}/health`, { signal: AbortSignal.timeout(3_000) });
  return { status: response.status, body: await response.json() };
};

beforeAll(async () => {
  redis = await startRedisServer();
  catcher = await startTestSmtpServer();
  herald = await startHerald({
    env: { REDIS_URL: redis.url, SMTP_URL: catcher.smtpUrl, RECONCILE_INTERVAL_MS: '1000' },
  });
});

afterAll(async () => {
  await herald?.stop();
  await catcher?.close();
  await redis?.stop();
});

describe('Redis down', () => {
  it('accepts messages while Redis is down and delivers them once it is back, without a restart', async () => {
    await redis.stop();
    try {
      expect(await health()).toEqual({
        status: 503,
        body: { status: 'degraded', database: 'ok', redis: 'unreachable' },
      });
      const email = `redis-down-${randomBytes(5).toString('hex')}@example.test`;
      const accepted = await post(notice(email));
      expect(accepted.status).toBe(202);
      expect(accepted.body).toEqual({ id: expect.any(String), status: 'queued' });
      const read = await herald.client.call('GET', `/v1/messages/${accepted.body.id}`);
      expect(read.body.status).toBe('queued');

      await redis.start();
      const arrived = await catcher.waitFor((m) => m.heraldMessageId === accepted.body.id, {
        timeoutMs: 20_000,
      });
      expect(arrived.envelope.to).toEqual([email]);
      expect(await herald.client.settled(accepted.body.id, 10_000)).toMatchObject({ status: 'sent' });
      expect(catcher.received.get(accepted.body.id)).toBe(1);
      expect(herald.workers.every((worker) => !worker.exited())).toBe(true);
      expect(await health()).toEqual({
        status: 200,
        body: { status: 'ok', database: 'ok', redis: 'ok' },
      });
    } finally {
      await redis.start();
    }
  });

  it('a worker started while Redis is down stays up and delivers once Redis is back', async () => {
    await herald.stopWorkers();
    await redis.stop();
    try {
      const worker = herald.startWorker();
      const accepted = await post(notice(`late-worker-${randomBytes(5).toString('hex')}@example.test`));
      expect(accepted.status).toBe(202);
      // Long enough for a worker that gives up on Redis to have exited.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(worker.exited(), worker.output()).toBe(false);

      await redis.start();
      await catcher.waitFor((m) => m.heraldMessageId === accepted.body.id, { timeoutMs: 20_000 });
      expect(await herald.client.settled(accepted.body.id, 10_000)).toMatchObject({ status: 'sent' });
      expect(catcher.received.get(accepted.body.id)).toBe(1);
      expect(worker.exited()).toBe(false);
    } finally {
      await redis.start();
    }
  });
});
