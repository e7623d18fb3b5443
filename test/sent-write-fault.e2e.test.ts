import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startHerald,
  startNodeProcess,
  startTcpProxy,
  startTestSmtpServer,
  type Herald,
  type NodeProcess,
  type TcpProxy,
  type TestSmtpServer,
} from '@herald/test-support';
import { createPrismaClient } from '@herald/db';
import { Redis } from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';

/**
 * The SMTP server accepts a message, and the worker's connection to PostgreSQL is reset before it
 * can record it as sent: the built worker reaches PostgreSQL through a proxy that the test cuts
 * while the server holds its reply to DATA back. The message must still be sent exactly once.
 */
let catcher: TestSmtpServer;
let proxy: TcpProxy;
let herald: Herald;
let worker: NodeProcess;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  catcher = await startTestSmtpServer();
  const databaseUrl = process.env.DATABASE_URL ?? '';
  proxy = await startTcpProxy({ targetPort: Number(new URL(databaseUrl).port || 5432) });
  herald = await startHerald({
    workers: 0,
    env: {
      SMTP_URL: catcher.smtpUrl,
      DELIVERY_BACKOFF_MS: '200',
      RECONCILE_INTERVAL_MS: '1000',
      STALE_CLAIM_MS: '60000',
    },
  });
  // The API keeps the direct connection: only the worker's writes meet the fault.
  worker = startNodeProcess('apps/api/dist/worker.js', {
    PUBLIC_API_URL: herald.apiUrl,
    ...herald.env,
    DATABASE_URL: proxy.urlThrough(databaseUrl),
  });
});

afterAll(async () => {
  await worker?.stop();
  await herald?.stop();
  await proxy?.close();
  await catcher?.close();
});

describe('the database connection resets between the SMTP reply and the sent record', () => {
  it('records the message once the database is back, and never sends it again', async () => {
    // A first message proves the worker is up and its pool holds live connections through the proxy.
    const warm = await herald.client.call('POST', '/v1/messages', {
      template: 'service-notice',
      to: { email: `warm-${randomBytes(5).toString('hex')}@example.test` },
      data: { title: 'Warm-up', body: 'First message.' },
    });
    expect(await herald.client.settled(warm.body.id, 20_000)).toMatchObject({ status: 'sent' });

    catcher.delay('data', 1500);
    const sent = await herald.client.call('POST', '/v1/messages', {
      template: 'service-notice',
      to: { email: `reset-${randomBytes(5).toString('hex')}@example.test` },
      data: { title: 'Maintenance', body: 'Read-only for 20 minutes.' },
    });
    expect(sent.status).toBe(202);
    const id = sent.body.id as string;

    // The server has the message and holds its reply: the database goes away for the worker.
    await catcher.waitFor((m) => m.heraldMessageId === id, { timeoutMs: 15_000 });
    proxy.refuse();
    proxy.cut();
    await pause(3000);
    proxy.accept();

    const message = await herald.client.settled(id, 20_000);
    expect(message.status, worker.output()).toBe('sent');
    // Long enough for a job retry or the reconciler to have sent it again, had either tried.
    await pause(2000);
    expect(catcher.received.get(id)).toBe(1);
    expect(catcher.received.get(warm.body.id)).toBe(1);
  });

  it('records a claim taken over from a worker that had the message accepted as sent, without sending it', async () => {
    // Where the write never got through: the message was accepted and its worker marked it sent
    // in Redis, but it is still "sending" under the claim of a worker whose lease has lapsed (a live
    // lease's claim is never taken over, however old: its worker may be in its SMTP transaction).
    const sent = await herald.client.call('POST', '/v1/messages', {
      template: 'service-notice',
      to: { email: `stale-${randomBytes(5).toString('hex')}@example.test` },
      data: { title: 'Invoice', body: 'Your invoice is ready.' },
    });
    const id = sent.body.id as string;
    expect(await herald.client.settled(id, 20_000)).toMatchObject({ status: 'sent' });

    const holder = randomUUID();
    const db = createPrismaClient({ databaseUrl: process.env.DATABASE_URL ?? '', maxConnections: 1 });
    const redis = new Redis(herald.env.REDIS_URL ?? '');
    try {
      await redis.xadd(`${herald.env.HERALD_QUEUE_PREFIX}:sent-marks:${holder}`, '*', 'm', id);
      await db.$executeRaw`
        INSERT INTO worker_leases (id, host, pid, expires_at)
        VALUES (${holder}::uuid, 'elsewhere', 1, now() - interval '1 second')`;
      await db.$executeRaw`
        UPDATE messages SET status = 'sending', claimed_by = ${holder}::uuid,
                            claimed_at = now() - interval '1 hour', sent_at = NULL
         WHERE id = ${id}::uuid`;

      // A worker takes the dead worker's claim over and reads its mark.
      const message = await herald.client.settled(id, 20_000);
      expect(message.status, worker.output()).toBe('sent');
      expect(message.events.at(-1)).toMatchObject({
        type: 'sent',
        detail: { recovered: expect.stringContaining('accepted') },
      });
      expect(catcher.received.get(id)).toBe(1);
    } finally {
      redis.disconnect();
      await db.$disconnect();
    }
  });
});
