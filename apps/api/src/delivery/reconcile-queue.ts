import { type Db, Prisma } from '@herald/db';
import type { Queue } from 'bull';
import { sendMessageJob } from './delivery-queue.js';

/**
 * The database is the source of truth: every queued message (and every message whose claim went
 * stale because its worker died) gets a job. Job ids are message ids, so a message that still has a
 * job in Redis is not enqueued twice, and several workers may reconcile at once. Campaign messages
 * are the scheduler's: it re-enqueues them in batches, and not while their campaign is paused.
 */
export async function reconcileQueue(
  db: Db,
  queue: Queue,
  {
    olderThanMs,
    staleClaimMs,
    batchSize = 5000,
  }: { olderThanMs: number; staleClaimMs: number; batchSize?: number },
): Promise<number> {
  let enqueued = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await db.$queryRaw<{ id: string }[]>(Prisma.sql`
      SELECT id FROM messages
       WHERE id > ${after}::uuid
         AND campaign_id IS NULL
         AND ((status = 'queued' AND updated_at < now() - make_interval(secs => ${olderThanMs / 1000}))
              OR (status = 'sending' AND claimed_at < now() - make_interval(secs => ${staleClaimMs / 1000})))
       ORDER BY id
       LIMIT ${batchSize}`);
    if (rows.length === 0) return enqueued;
    await queue.addBulk(rows.map((row) => sendMessageJob(row.id)));
    enqueued += rows.length;
    after = (rows.at(-1) as { id: string }).id;
  }
}
