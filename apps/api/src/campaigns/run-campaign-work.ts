import { type Db, Prisma } from '@herald/db';
import type { Queue } from 'bull';
import { resolveAudience, StoredAudienceSchema } from './audience.js';
import { toSendBatchJobs } from './campaign-queue.js';
import type { CampaignWork } from './claim-campaign-work.js';
import { fanOutPage } from './fan-out-page.js';
import { localSendTimes } from './local-send-times.js';

interface CampaignWorkDeps {
  db: Db;
  campaignQueue: Queue;
  workerId: string;
  epoch: string;
  fanoutBatchSize: number;
  campaignBatchSize: number;
  /** True once this worker is shutting down: the work stops between pages and is taken over later. */
  stopping: () => boolean;
}

/**
 * The once-only work of one claimed campaign, in order:
 * 1. cancelled: finish its queued messages as suppressed ("campaign-cancelled");
 * 2. jobs possibly missing (Redis lost them, or a previous owner died between writing a page and
 *    enqueueing it): enqueue every queued message again, under the current epoch;
 * 3. fan-out unfinished: continue it from the cursor, one page (one statement) and one addBulk at a
 *    time, so memory holds one page whatever the audience's size.
 */
export async function runCampaignWork(deps: CampaignWorkDeps, campaign: CampaignWork): Promise<void> {
  if (campaign.status === 'cancelled') {
    await finishCancelled(deps.db, campaign.id);
    return;
  }
  const takenOver = campaign.fanoutDoneAt === null && campaign.fanoutCursor !== null;
  if (campaign.queueEpoch !== deps.epoch || takenOver) {
    // The epoch is written first: if Redis loses its data during the re-enqueue, the next tick sees it.
    await deps.db.campaign.update({ where: { id: campaign.id }, data: { queueEpoch: deps.epoch } });
    await requeueCampaign(deps, campaign.id);
  }
  if (campaign.fanoutDoneAt === null) await fanOut(deps, campaign);
}

async function fanOut(deps: CampaignWorkDeps, campaign: CampaignWork): Promise<void> {
  const { db } = deps;
  const stored = StoredAudienceSchema.parse(campaign.audience);
  const categories = await db.category.findMany({
    where: { key: { in: stored.categories } },
    select: { key: true, defaultSubscribed: true },
  });
  const audience = resolveAudience(stored, categories);
  let sendTimes = null;
  if (campaign.localTime && campaign.sendAt) {
    const zones = await db.$queryRaw<{ timezone: string }[]>`SELECT DISTINCT timezone FROM contacts`;
    const times = localSendTimes(
      { sendAt: campaign.sendAt, timezone: campaign.timezone },
      zones.map((z) => z.timezone),
    );
    sendTimes = { zones: [...times.keys()], at: [...times.values()], fallback: campaign.sendAt };
  }
  let cursor = campaign.fanoutCursor;
  while (!deps.stopping()) {
    const page = await fanOutPage(db, {
      campaignId: campaign.id,
      workerId: deps.workerId,
      templateId: campaign.templateId,
      categoryKey: campaign.categoryKey,
      audience,
      cursor,
      pageSize: deps.fanoutBatchSize,
      sendTimes,
    });
    if (!page.active) return;
    if (page.messages.length > 0) {
      await deps.campaignQueue.addBulk(toSendBatchJobs(campaign.id, page.messages, deps.campaignBatchSize));
    }
    if (page.cursor === null) {
      await db.$executeRaw`
        UPDATE campaigns SET fanout_done_at = now(), updated_at = now()
         WHERE id = ${campaign.id}::uuid AND owner_id = ${deps.workerId}::uuid`;
      return;
    }
    cursor = page.cursor;
  }
}

/** Enqueues every queued message of the campaign, in id order, a page at a time. */
async function requeueCampaign(deps: CampaignWorkDeps, campaignId: string): Promise<void> {
  let after = '00000000-0000-0000-0000-000000000000';
  while (!deps.stopping()) {
    const rows = await deps.db.$queryRaw<{ id: string; send_after: Date | null }[]>(Prisma.sql`
      SELECT id::text, send_after FROM messages
       WHERE campaign_id = ${campaignId}::uuid AND status = 'queued' AND id > ${after}::uuid
       ORDER BY id LIMIT ${deps.fanoutBatchSize}`);
    if (rows.length === 0) return;
    await deps.campaignQueue.addBulk(
      toSendBatchJobs(
        campaignId,
        rows.map((row) => ({ id: row.id, sendAfter: row.send_after })),
        deps.campaignBatchSize,
      ),
    );
    after = (rows.at(-1) as { id: string }).id;
  }
}

/** A cancelled campaign sends nothing more: its queued messages end as suppressed, each with its event. */
async function finishCancelled(db: Db, campaignId: string): Promise<void> {
  for (;;) {
    const finished = await db.$executeRaw`
      WITH done AS (
        UPDATE messages
           SET status = 'suppressed', reason = 'campaign-cancelled', updated_at = now()
         WHERE id IN (SELECT id FROM messages
                       WHERE campaign_id = ${campaignId}::uuid AND status = 'queued'
                       ORDER BY id LIMIT 5000 FOR UPDATE SKIP LOCKED)
     RETURNING id)
      INSERT INTO message_events (message_id, type, detail)
      SELECT id, 'suppressed', '{"reason":"campaign-cancelled"}'::jsonb FROM done`;
    if (finished === 0) return;
  }
}
