import Bull, { type Queue } from 'bull';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BULK_DELIVERY_QUEUE, DELIVERY_QUEUE } from '../src/delivery/delivery-queue.js';
import { reconcileQueue } from '../src/delivery/reconcile-queue.js';
import { startHarness, uniqueEmail, type Harness } from './support/harness.js';

/**
 * The reconciler gives a job to every stored message that has none, one page a pass: a message that
 * still has its job (waiting behind a long queue) is left alone, and a backlog of any size costs each
 * pass the same. No worker runs: the jobs stay where the API and the reconciler put them.
 */
let h: Harness;
let queues: { transactional: Queue; bulk: Queue };
beforeAll(async () => {
  h = await startHarness();
  const queue = (name: string) =>
    new Bull(name, h.env.REDIS_URL ?? '', { prefix: h.env.HERALD_QUEUE_PREFIX });
  queues = { transactional: queue(DELIVERY_QUEUE), bulk: queue(BULK_DELIVERY_QUEUE) };
});
afterAll(async () => {
  await Promise.all([queues?.transactional.close(), queues?.bulk.close()]);
  await h?.close();
});

const FIRST = '00000000-0000-0000-0000-000000000000';

describe('reconcileQueue', () => {
  it('adds jobs only for messages without one, a page a call, and starts over after the last page', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const sent = await h.request('POST', '/v1/messages', {
        template: 'service-notice',
        to: { email: uniqueEmail('reconcile') },
        data: { title: 'Your export is ready', body: 'Download it within 7 days.' },
      });
      expect(sent.status).toBe(202);
      ids.push(sent.body.id);
    }
    ids.sort();
    const options = { olderThanMs: 0, staleClaimMs: 60_000, batchSize: 2 };

    // Every message still has the job the API gave it: a whole round of passes adds nothing.
    let cursor = FIRST;
    const pages: string[] = [];
    for (let pass = 0; pass < 3; pass++) {
      const { enqueued, next } = await reconcileQueue(h.db, queues, { ...options, after: cursor });
      expect(enqueued).toBe(0);
      pages.push(next);
      cursor = next;
    }
    expect(pages).toEqual([ids[1], ids[3], FIRST]);

    // Redis lost two of them: the passes give those two, and only those, a job again.
    for (const id of [ids[0], ids[4]]) await (await queues.transactional.getJob(id as string))?.remove();
    let added = 0;
    for (let pass = 0, after = FIRST; pass < 3; pass++) {
      const { enqueued, next } = await reconcileQueue(h.db, queues, { ...options, after });
      added += enqueued;
      after = next;
    }
    expect(added).toBe(2);
    const jobs = await Promise.all(ids.map((id) => queues.transactional.getJob(id)));
    expect(jobs.map((job) => job?.id)).toEqual(ids);
  });
});
