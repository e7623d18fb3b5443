import { type Db, Prisma } from '@herald/db';

export interface CampaignWork {
  id: string;
  status: 'sending' | 'cancelled';
  templateId: string;
  categoryKey: string;
  audience: unknown;
  sendAt: Date | null;
  timezone: string;
  localTime: boolean;
  fanoutCursor: string | null;
  fanoutDoneAt: Date | null;
  queueEpoch: string | null;
}

/**
 * Claims, for this worker, campaigns with once-only work to do and no live owner: due scheduled
 * campaigns (which become "sending"), sending campaigns whose fan-out is unfinished or whose jobs
 * Redis lost (another epoch), and cancelled campaigns still holding queued messages. One conditional
 * UPDATE with SKIP LOCKED: two workers never claim the same campaign, and a campaign whose owner's
 * lease lapsed (the worker died mid-fan-out) is taken over. `busy`: campaigns this worker is still
 * working on (never claimed twice by one worker).
 */
export async function claimCampaignWork(
  db: Db,
  {
    workerId,
    epoch,
    busy = [],
    limit = 4,
  }: { workerId: string; epoch: string; busy?: string[]; limit?: number },
): Promise<CampaignWork[]> {
  const rows = await db.$queryRaw<
    {
      id: string;
      status: 'sending' | 'cancelled';
      template_id: string;
      category_key: string;
      audience: unknown;
      send_at: Date | null;
      timezone: string;
      local_time: boolean;
      fanout_cursor: string | null;
      fanout_done_at: Date | null;
      queue_epoch: string | null;
    }[]
  >(Prisma.sql`
    UPDATE campaigns c
       SET owner_id = ${workerId}::uuid,
           status = CASE WHEN c.status = 'scheduled' THEN 'sending'::"CampaignStatus" ELSE c.status END,
           fanout_started_at = CASE WHEN c.status = 'scheduled' THEN now() ELSE c.fanout_started_at END,
           updated_at = now()
     WHERE c.id IN (
       SELECT id FROM campaigns
        WHERE ((status = 'scheduled' AND send_at <= now())
               OR (status = 'sending' AND (fanout_done_at IS NULL OR queue_epoch IS DISTINCT FROM ${epoch}))
               OR (status = 'cancelled' AND completed_at IS NULL))
          AND id <> ALL(${busy}::uuid[])
          AND (owner_id IS NULL
               OR NOT EXISTS (SELECT 1 FROM worker_leases l WHERE l.id = owner_id AND l.expires_at > now()))
        ORDER BY send_at NULLS FIRST
        LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
 RETURNING c.id::text, c.status::text AS status, c.template_id::text, c.category_key, c.audience, c.send_at,
           c.timezone, c.local_time, c.fanout_cursor::text, c.fanout_done_at, c.queue_epoch`);
  return rows.map((row) => ({
    id: row.id,
    status: row.status,
    templateId: row.template_id,
    categoryKey: row.category_key,
    audience: row.audience,
    sendAt: row.send_at,
    timezone: row.timezone,
    localTime: row.local_time,
    fanoutCursor: row.fanout_cursor,
    fanoutDoneAt: row.fanout_done_at,
    queueEpoch: row.queue_epoch,
  }));
}

/** Gives a campaign's once-only work back (done, paused, or this worker is stopping). */
export async function releaseCampaign(
  db: Db,
  { campaignId, workerId }: { campaignId: string; workerId: string },
) {
  await db.$executeRaw`
    UPDATE campaigns SET owner_id = NULL, updated_at = now()
     WHERE id = ${campaignId}::uuid AND owner_id = ${workerId}::uuid`;
}

/**
 * A sending campaign whose fan-out is done and none of whose messages is queued or being sent is
 * sent; a cancelled one in the same state is complete. Answers the ids it finished.
 */
export async function completeCampaigns(db: Db): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE campaigns c
       SET status = CASE WHEN c.status = 'sending' THEN 'sent'::"CampaignStatus" ELSE c.status END,
           completed_at = now(), updated_at = now()
     WHERE ((c.status = 'sending' AND c.fanout_done_at IS NOT NULL) OR c.status = 'cancelled')
       AND c.completed_at IS NULL AND c.owner_id IS NULL
       AND NOT EXISTS (SELECT 1 FROM messages m
                        WHERE m.campaign_id = c.id AND m.status IN ('queued', 'sending'))
 RETURNING c.id::text`;
  return rows.map((row) => row.id);
}
