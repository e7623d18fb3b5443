import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKER_LEASE } from '../src/worker-recovery/worker-lease-holder.js';
import type { WorkerLease } from '../src/worker-recovery/worker-lease.js';
import { startHarness, uniqueEmail, waitForStatus, type Harness } from './support/harness.js';

/**
 * A worker whose lease lapses between a message's stamp and its SMTP transaction (a stall, a late
 * renewal) hands the message back without sending it. Nothing was tried and the lapse is the
 * worker's, so the job keeps its attempts: with one attempt per job, the message is still sent once
 * the lease is held again, instead of its job failing and the message waiting for the reconciler.
 * The lapse is made in this process (the worker's own view of its lease says "not held" for the
 * next send), while the lease row in PostgreSQL stays alive, so no other worker takes the claim.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    worker: true,
    // One attempt per job, and no reconciler pass within the test: only a hold can send it.
    env: { DELIVERY_ATTEMPTS: '1', RECONCILE_INTERVAL_MS: '600000' },
  });
});
afterAll(async () => h?.close());

describe('a lease that lapses just before SMTP', () => {
  it('hands the message back without using an attempt, and it is sent once the lease is held again', async () => {
    const lease = h.worker!.get<WorkerLease>(WORKER_LEASE);
    const isHeld = lease.isHeld.bind(lease);
    let lapses = 0;
    // The check before SMTP asks about the claim's lease id; the first such check finds it lapsed.
    lease.isHeld = (leaseId?: string) => {
      if (leaseId !== undefined && lapses === 0) {
        lapses++;
        return false;
      }
      return isHeld(leaseId);
    };
    try {
      const sent = await h.request('POST', '/v1/messages', {
        template: 'service-notice',
        to: { email: uniqueEmail('lapse') },
        data: { title: 'Maintenance', body: 'Tonight.' },
      });
      expect(sent.status, JSON.stringify(sent.body)).toBe(202);
      const message = await waitForStatus(h, sent.body.id, 10_000);
      expect(lapses).toBe(1);
      expect(message.status).toBe('sent');
      expect(message.events.map((e: { type: string }) => e.type)).toEqual(['queued', 'deferred', 'sent']);
      expect(h.catcher.messages().filter((m) => m.heraldMessageId === sent.body.id)).toHaveLength(1);
    } finally {
      lease.isHeld = isHeld;
    }
  });
});
