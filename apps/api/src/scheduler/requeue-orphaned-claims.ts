import { type Db, Prisma } from '@herald/db';
import type { Queue } from 'bull';
import { toSendBatchJobs } from '../campaigns/campaign-queue.js';
import { sendMessageJob } from '../delivery/delivery-queue.js';

/**
 * What a dead worker (its lease lapsed) leaves behind is taken over:
 * - messages it had claimed ("sending") go back to "queued", each with a `requeued` event, and get a
 *   job again. One it had already handed to the SMTP server but not yet recorded is sent again: the
 *   only way a message is sent twice, within a window of one SMTP reply plus one batched write;
 * - the Bull jobs it was running would only come back when Bull notices them stalled (30 s or more),
 *   so every sending campaign's epoch is cleared and the scheduler enqueues its queued messages again
 *   (a message that still has a job is claimed by one of the two, never by both).
 * Safe in several workers at once: each row is moved, each lease deleted, by one statement only.
 */
export async function requeueOrphanedClaims(
  db: Db,
  {
    deliveryQueue,
    campaignQueue,
    campaignBatchSize,
  }: { deliveryQueue: Queue; campaignQueue: Queue; campaignBatchSize: number },
): Promise<number> {
  const rows = await db.$queryRaw<{ id: string; campaign_id: string | null; send_after: Date | null }[]>(
    Prisma.sql`
    WITH moved AS (
      UPDATE messages m
         SET status = 'queued', claimed_at = NULL, claimed_by = NULL, updated_at = now()
       WHERE m.status = 'sending' AND m.claimed_by IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM worker_leases l WHERE l.id = m.claimed_by AND l.expires_at > now())
   RETURNING m.id, m.campaign_id, m.send_after),
    events AS (
      INSERT INTO message_events (message_id, type, detail)
      SELECT id, 'requeued', '{"reason":"the worker holding the claim stopped"}'::jsonb FROM moved)
    SELECT id::text, campaign_id::text, send_after FROM moved`,
  );
  const dead = await db.$executeRaw`DELETE FROM worker_leases WHERE expires_at < now()`;
  if (dead > 0) {
    await db.$executeRaw`
      UPDATE campaigns SET queue_epoch = NULL, updated_at = now() WHERE status = 'sending'`;
  }
  if (rows.length === 0) return 0;

  // A job id of its own: the dead worker's job for the message may still sit in Redis as active.
  const single = rows
    .filter((row) => row.campaign_id === null)
    .map((row) => {
      const job = sendMessageJob(row.id);
      return { ...job, opts: { ...job.opts, jobId: `${row.id}:requeued:${Date.now()}` } };
    });
  if (single.length > 0) await deliveryQueue.addBulk(single);
  const byCampaign = new Map<string, { id: string; sendAfter: Date | null }[]>();
  for (const row of rows) {
    if (row.campaign_id === null) continue;
    const list = byCampaign.get(row.campaign_id) ?? [];
    list.push({ id: row.id, sendAfter: row.send_after });
    byCampaign.set(row.campaign_id, list);
  }
  for (const [campaignId, messages] of byCampaign) {
    await campaignQueue.addBulk(toSendBatchJobs(campaignId, messages, campaignBatchSize));
  }
  return rows.length;
}
