import { type Db, Prisma } from '@herald/db';

/**
 * Called after a worker put a campaign message back to `queued` because the campaign looked paused,
 * or left the rest of a batch queued for the same reason. A resume answered just before (the
 * worker's cache still said paused) may already have had its messages re-enqueued by the scheduler,
 * which read this one while it was still `sending`, or made the very job that just stopped: it would
 * be left queued with no job. If the campaign is sending again, its epoch is cleared once more, so
 * the scheduler's next tick enqueues it. The deferral is committed before this read: if the resume
 * commits later instead, its own re-enqueue runs after it and finds the message queued.
 */
export async function requeueIfResumed(db: Db, campaignId: string): Promise<void> {
  await db.$executeRaw(Prisma.sql`
    UPDATE campaigns SET queue_epoch = NULL, updated_at = now()
     WHERE id = ${campaignId}::uuid AND status = 'sending' AND queue_epoch IS NOT NULL`);
}
