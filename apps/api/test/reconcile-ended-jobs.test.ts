import { startRedisServer, type RedisServer } from '@herald/test-support';
import Queue from 'bull';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeFinishedJobs } from '../src/delivery/reconcile-queue.js';

/**
 * The reconciler re-adds a job for every message still queued, and first removes the job of one
 * whose job already ended (Bull keeps failed jobs, and an add under the same id would do nothing).
 * Finding the ended ones must not scan the waiting list per job: with thousands of notices waiting
 * behind a campaign that made every pass O(n²) and kept Redis at a full core. A private
 * redis-server, so its command counts are this test's alone.
 */
let redis: RedisServer;
let queue: Queue.Queue;

beforeAll(async () => {
  redis = await startRedisServer();
  queue = new Queue('bulk-delivery', redis.url, { prefix: 'reconcile-test' });
});
afterAll(async () => {
  await queue?.close();
  await redis?.stop();
});

/** Calls of each Redis command since the last reset, from INFO commandstats. */
async function commandCalls(): Promise<Record<string, number>> {
  const info = await queue.client.info('commandstats');
  return Object.fromEntries(
    [...info.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)].map(([, name, calls]) => [name, Number(calls)]),
  );
}

describe('removing the ended jobs of queued messages', () => {
  it('removes failed and completed jobs, keeps waiting ones, and never scans the waiting list', async () => {
    // Two jobs run by a worker, one failing for good and one completing; that worker then stops.
    const worker = new Queue('bulk-delivery', redis.url, { prefix: 'reconcile-test' });
    const ended = new Promise<void>((resolve) => {
      let count = 0;
      const one = () => ++count === 2 && resolve();
      worker.on('failed', one).on('completed', one);
    });
    void worker.process(async (job) => {
      if (job.id === 'ended-failed') throw new Error('the database refused connections');
      return 'sent';
    });
    await queue.add({ messageId: 'failed' }, { jobId: 'ended-failed', attempts: 1 });
    await queue.add({ messageId: 'completed' }, { jobId: 'ended-completed' });
    await ended;
    await worker.close();
    const waiting = Array.from({ length: 3000 }, (_, i) => `waiting-${i}`);
    await queue.addBulk(waiting.map((jobId) => ({ data: { messageId: jobId }, opts: { jobId } })));
    expect(await (await queue.getJob('ended-failed'))?.getState()).toBe('failed');
    expect(await (await queue.getJob('ended-completed'))?.getState()).toBe('completed');

    await queue.client.config('RESETSTAT');
    await removeFinishedJobs(queue, [...waiting, 'ended-failed', 'ended-completed', 'never-added']);
    const calls = await commandCalls();

    expect(await queue.getJob('ended-failed')).toBeNull();
    expect(await queue.getJob('ended-completed')).toBeNull();
    expect(await queue.getWaitingCount()).toBe(waiting.length);
    // Two set lookups per id; no list read (LRANGE, or Bull's list-scanning script) at all.
    expect(calls.zscore).toBe(2 * (waiting.length + 3));
    expect(calls.lrange ?? 0).toBe(0);
    expect(calls.evalsha ?? 0).toBeLessThanOrEqual(2); // the two removals
  });
});
