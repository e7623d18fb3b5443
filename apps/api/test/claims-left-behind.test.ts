import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Bull from 'bull';
import { randomUUID } from 'node:crypto';
import { createDeliveryStore, type DeliveryStore } from '../src/delivery/delivery-store.js';
import { requeueClaimsLeftBehind } from '../src/worker-recovery/requeue-orphaned-claims.js';
import { createSentMarker } from '../src/worker-recovery/sent-marks.js';
import { startHarness, uniqueEmail, type Harness } from './support/harness.js';

/**
 * A delivery whose database writes fail past their retries ends with its claim still held: the
 * message stays `sending` under the worker's live lease, where no other worker may take it and no job
 * comes back for it. The worker settles such claims itself once the database answers again. The
 * failures here are PostgreSQL's own: a trigger in this file's database refuses the events of the
 * messages listed in `refused`, so the statements that give a claim back or record an outcome fail.
 */
let h: Harness;
let deliveryQueue: Bull.Queue;
let campaignQueue: Bull.Queue;
let workerId: string;
let store: DeliveryStore;

beforeAll(async () => {
  h = await startHarness();
  const options = { prefix: h.env.HERALD_QUEUE_PREFIX };
  deliveryQueue = new Bull('delivery', h.env.REDIS_URL as string, options);
  campaignQueue = new Bull('campaign-delivery', h.env.REDIS_URL as string, options);
  await h.db.$executeRawUnsafe(`CREATE TABLE refused (message_id uuid PRIMARY KEY)`);
  await h.db.$executeRawUnsafe(`
    CREATE FUNCTION refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM refused WHERE message_id = NEW.message_id) THEN
        RAISE EXCEPTION 'refused for the test';
      END IF;
      RETURN NEW;
    END $$`);
  await h.db.$executeRawUnsafe(
    `CREATE TRIGGER refuse_event BEFORE INSERT ON message_events FOR EACH ROW EXECUTE FUNCTION refuse_event()`,
  );
  // This test's worker: a live lease, and the store a worker's deliveries share.
  workerId = randomUUID();
  await h.db.$executeRaw`
    INSERT INTO worker_leases (id, host, pid, expires_at)
    VALUES (${workerId}::uuid, 'this-test', 1, now() + interval '1 hour')`;
  store = createDeliveryStore(h.db, { workerId, staleClaimMs: 60 * 60 * 1000 });
}, 60_000);

afterAll(async () => {
  await deliveryQueue?.close();
  await campaignQueue?.close();
  await h?.close();
});

const send = async () => {
  const response = await h.request('POST', '/v1/messages', {
    template: 'service-notice',
    to: { email: uniqueEmail('left-behind') },
    data: { title: 'Maintenance', body: 'Read-only for 20 minutes.' },
  });
  expect(response.status).toBe(202);
  return response.body.id as string;
};

const refuse = (id: string) => h.db.$executeRaw`INSERT INTO refused VALUES (${id}::uuid)`;
const allow = () => h.db.$executeRaw`DELETE FROM refused`;

const view = async (id: string) => {
  const message = await h.db.message.findUniqueOrThrow({ where: { id } });
  const events = await h.db.messageEvent.findMany({ where: { messageId: id }, orderBy: { id: 'asc' } });
  return { status: message.status, claimedBy: message.claimedBy, events: events.map((e) => e.type) };
};

/** A delivery that claims its message and then cannot give the claim back: what a failover leaves. */
const deliveryThatCannotGiveBack = async (id: string) => {
  const done = store.track([id]);
  try {
    expect(await store.claim(id)).not.toBeNull();
    await refuse(id);
    await expect(store.release([id], 'the relay hung up')).rejects.toThrow(/refused for the test/);
  } finally {
    done();
  }
};

const settle = (on: Pick<DeliveryStore, 'claimsLeftBehind' | 'lookAgain'> = store) =>
  requeueClaimsLeftBehind(h.db, on, {
    workerId,
    deliveryQueue,
    campaignQueue,
    campaignBatchSize: 50,
    keyPrefix: h.env.HERALD_QUEUE_PREFIX ?? '',
  });

describe('claims a delivery left behind', () => {
  it('go back to the queue with a job of their own once the database answers again', async () => {
    const id = await send();
    await deliveryThatCannotGiveBack(id);
    expect(await view(id)).toMatchObject({ status: 'sending', claimedBy: workerId });

    // While the database still refuses, nothing moves, and the store looks again next time.
    await expect(settle()).rejects.toThrow(/refused for the test/);
    expect(await view(id)).toMatchObject({ status: 'sending', claimedBy: workerId });

    await allow();
    expect(await settle()).toEqual({ recovered: 0, requeued: 1, postponed: 0 });
    expect(await view(id)).toMatchObject({ status: 'queued', claimedBy: null });
    expect((await view(id)).events.at(-1)).toBe('requeued');
    const jobs = await deliveryQueue.getWaiting();
    expect(jobs.map((job) => job.id)).toContainEqual(expect.stringMatching(new RegExp(`^${id}:requeued:`)));
    // Settled once: the next look finds nothing, and makes no query for it.
    expect(await settle()).toEqual({ recovered: 0, requeued: 0, postponed: 0 });
  });

  it('are recorded as sent when the SMTP server had accepted them (the worker marked them)', async () => {
    const id = await send();
    const done = store.track([id]);
    expect(await store.claim(id)).not.toBeNull();
    createSentMarker(campaignQueue.client, h.env.HERALD_QUEUE_PREFIX ?? '', workerId)(id);
    await refuse(id);
    await expect(store.record({ messageId: id, status: 'sent', event: 'sent' })).rejects.toThrow(
      /refused for the test/,
    );
    done();
    await allow();
    // The mark is written without waiting: the look reads it once Redis has it.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await settle()).toEqual({ recovered: 1, requeued: 0, postponed: 0 });
    expect(await view(id)).toMatchObject({ status: 'sent', claimedBy: null });
    expect((await view(id)).events.at(-1)).toBe('sent');
  });

  it('are not looked for while no delivery has failed', async () => {
    const id = await send();
    const done = store.track([id]);
    expect(await store.claim(id)).not.toBeNull();
    // Claimed and not finished, with no failed write: a delivery in progress elsewhere in its steps,
    // as far as the store knows. Nothing looks at it.
    done();
    expect(await settle()).toEqual({ recovered: 0, requeued: 0, postponed: 0 });
    expect(await view(id)).toMatchObject({ status: 'sending', claimedBy: workerId });
    // Its delivery goes on and records its outcome.
    expect(await store.record({ messageId: id, status: 'failed', event: 'failed', reason: 'test' })).toBe(
      true,
    );
  });

  it('leave alone a claim a delivery of this worker holds, or took again since it was found', async () => {
    const held = await send();
    const retaken = await send();
    await deliveryThatCannotGiveBack(held);
    await deliveryThatCannotGiveBack(retaken);
    await allow();

    // The job's retry runs here meanwhile: it holds the message (tracked), so it is not settled.
    const running = store.track([held]);
    // And the other is claimed again by this worker between the look and the settling.
    const retaking: Pick<DeliveryStore, 'claimsLeftBehind' | 'lookAgain'> = {
      claimsLeftBehind: async () => {
        const left = await store.claimsLeftBehind();
        const done = store.track([retaken]);
        expect(await store.claim(retaken)).not.toBeNull();
        done();
        return left;
      },
      lookAgain: () => store.lookAgain(),
    };
    expect(await settle(retaking)).toEqual({ recovered: 0, requeued: 0, postponed: 0 });
    running();
    expect(await view(held)).toMatchObject({ status: 'sending', claimedBy: workerId });
    expect(await view(retaken)).toMatchObject({ status: 'sending', claimedBy: workerId });

    // Once its delivery is over (and failed again), the held one is settled on the next look.
    store.lookAgain();
    const settled = await settle();
    expect(settled.requeued).toBe(2);
    expect(await view(held)).toMatchObject({ status: 'queued', claimedBy: null });
  });
});
