import { type Db, Prisma } from '@herald/db';
import type { Queue } from 'bull';
import { toSendBatchJobs } from '../campaigns/campaign-queue.js';
import { sendMessageJob } from '../delivery/delivery-queue.js';

/**
 * Messages claimed ("sending") by a worker whose lease has lapsed go back to "queued", each with a
 * `requeued` event, and get a job again. A message its dead worker had already handed to the SMTP
 * server but not yet recorded is sent again: that is the only way a message is sent twice, and the
 * window is one SMTP reply plus one batched write. Safe in several workers at once: each row is
 * moved by one UPDATE only.
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
  await db.$executeRaw`DELETE FROM worker_leases WHERE expires_at < now() - interval '1 minute'`;
  if (rows.length === 0) return 0;

  const single = rows.filter((row) => row.campaign_id === null).map((row) => sendMessageJob(row.id));
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
