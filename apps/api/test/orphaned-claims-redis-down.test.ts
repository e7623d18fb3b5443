import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '@herald/test-support';
import Bull from 'bull';
import { randomUUID } from 'node:crypto';
import { requeueOrphanedClaims } from '../src/worker-recovery/requeue-orphaned-claims.js';
import { createSentMarker, readSentMarks } from '../src/worker-recovery/sent-marks.js';
import { startHarness, uniqueEmail, type Harness } from './support/harness.js';

/**
 * A dead worker's claims are taken over only once its "accepted by SMTP" marks can be read: while
 * Redis is unreachable, stopped or hung, the round is postponed instead of requeueing (and so
 * sending again) what the SMTP server had already accepted.
 */
let redis: RedisServer;
let h: Harness;
let deliveryQueue: Bull.Queue;
let campaignQueue: Bull.Queue;

beforeAll(async () => {
  redis = await startRedisServer();
  h = await startHarness({ env: { REDIS_URL: redis.url } });
  const options = { prefix: h.env.HERALD_QUEUE_PREFIX };
  deliveryQueue = new Bull('delivery', redis.url, options);
  campaignQueue = new Bull('campaign-delivery', redis.url, options);
  // Bull re-emits connection errors as 'error' events; while Redis is down they are expected.
  for (const queue of [deliveryQueue, campaignQueue]) queue.on('error', () => undefined);
});

afterAll(async () => {
  redis?.resume();
  await redis?.start();
  await deliveryQueue?.close();
  await campaignQueue?.close();
  await h?.close();
  await redis?.stop();
});

const send = async () => {
  const response = await h.request('POST', '/v1/messages', {
    template: 'service-notice',
    to: { email: uniqueEmail('orphan') },
    data: { title: 'Maintenance', body: 'Read-only for 20 minutes.' },
  });
  expect(response.status).toBe(202);
  return response.body.id as string;
};

/** What a worker killed mid-send leaves: its lapsed lease and its messages in "sending". */
const claimByDeadWorker = async (ids: string[]) => {
  const workerId = randomUUID();
  await h.db.$executeRaw`
    INSERT INTO worker_leases (id, host, pid, expires_at)
    VALUES (${workerId}::uuid, 'dead-host', 1, now() - interval '1 minute')`;
  await h.db.$executeRaw`
    UPDATE messages SET status = 'sending', claimed_by = ${workerId}::uuid, claimed_at = now()
     WHERE id = ANY(${ids}::uuid[])`;
  return workerId;
};

const recover = (scan = true) =>
  requeueOrphanedClaims(h.db, {
    deliveryQueue,
    campaignQueue,
    campaignBatchSize: 50,
    keyPrefix: h.env.HERALD_QUEUE_PREFIX ?? '',
    scan,
  });

const status = async (id: string) => (await h.request('GET', `/v1/messages/${id}`)).body;

describe('looking for orphaned claims only when needed', () => {
  it('without scan, takes over only when it deletes a lapsed lease itself; with scan, whatever is left', async () => {
    const [first, second] = [await send(), await send()];
    await claimByDeadWorker([first]);
    // The lease lapsed: the call deletes it and looks for its claims at once, scan or not.
    expect(await recover(false)).toMatchObject({ requeued: 1, scanned: true });
    expect(await status(first)).toMatchObject({ status: 'queued' });

    // Claims whose lease another worker already deleted (say it died before taking them over).
    const workerId = await claimByDeadWorker([second]);
    await h.db.$executeRaw`DELETE FROM worker_leases WHERE id = ${workerId}::uuid`;
    expect(await recover(false)).toEqual({ recovered: 0, requeued: 0, postponed: 0, scanned: false });
    expect(await status(second)).toMatchObject({ status: 'sending' });
    expect(await recover(true)).toMatchObject({ requeued: 1, scanned: true });
    expect(await status(second)).toMatchObject({ status: 'queued' });
  });
});

describe('orphaned claims while Redis is unreachable', () => {
  it('postpones the takeover while Redis hangs, then records the accepted message as sent and requeues the other', async () => {
    const [accepted, unsent] = [await send(), await send()];
    const workerId = await claimByDeadWorker([accepted, unsent]);
    createSentMarker(campaignQueue.client, h.env.HERALD_QUEUE_PREFIX ?? '', workerId)(accepted);
    const deadline = Date.now() + 5_000;
    while (
      !(await readSentMarks(campaignQueue.client, h.env.HERALD_QUEUE_PREFIX ?? '', workerId)).has(accepted)
    ) {
      if (Date.now() > deadline) throw new Error('the sent mark never reached Redis');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    redis.pause();
    try {
      expect(await recover()).toEqual({ recovered: 0, requeued: 0, postponed: 2, scanned: true });
    } finally {
      redis.resume();
    }
    expect(await status(accepted)).toMatchObject({ status: 'sending' });
    expect(await status(unsent)).toMatchObject({ status: 'sending' });

    expect(await recover()).toEqual({ recovered: 1, requeued: 1, postponed: 0, scanned: true });
    const recovered = await status(accepted);
    expect(recovered).toMatchObject({ status: 'sent' });
    expect(recovered.events.map((event: { type: string }) => event.type)).toEqual(['queued', 'sent']);
    const requeued = await status(unsent);
    expect(requeued).toMatchObject({ status: 'queued' });
    expect(requeued.events.map((event: { type: string }) => event.type)).toEqual(['queued', 'requeued']);
  });

  it('postpones the takeover while Redis is stopped, leaving the claims for a later round', async () => {
    const id = await send();
    await claimByDeadWorker([id]);
    await redis.stop();
    try {
      expect(await recover()).toEqual({ recovered: 0, requeued: 0, postponed: 1, scanned: true });
      expect(await status(id)).toMatchObject({ status: 'sending' });
    } finally {
      await redis.start();
    }
  });
});
