import { type Db, Prisma } from '@herald/db';
import type { Queue } from 'bull';
import { toSendBatchJobs } from '../campaigns/campaign-queue.js';
import { sendMessageJob } from '../delivery/delivery-queue.js';
import { clearQueueEpochs } from '../campaigns/clear-queue-epochs.js';
import type { DeliveryStore } from '../delivery/delivery-store.js';
import { readSentMarks } from './sent-marks.js';

type Orphan = { id: string; claimed_by: string; campaign_id: string | null; send_after: Date | null };

/**
 * What a dead worker (its lease lapsed) leaves behind is taken over:
 * - messages it had claimed ("sending"): those its SMTP server had accepted (the worker's marks in
 *   Redis) are recorded as sent; the others go back to "queued" with a `requeued` event and get a
 *   job again. Only a message accepted in the instant between the SMTP reply and its mark is sent
 *   twice (or any, if Redis lost the marks). While the marks cannot be read (Redis unreachable),
 *   nothing is taken over: the round is postponed (`postponed` counts the claims left as they are);
 * - the Bull jobs it was running would only come back when Bull notices them stalled (30 s or more),
 *   so every sending campaign's epoch is cleared and the scheduler enqueues its queued messages again
 *   (a message that still has a job is claimed by one of the two, never by both).
 * Safe in several workers at once: each row moves in one conditional UPDATE, each lease is deleted once.
 *
 * Looking for orphans reads the messages in "sending" through their status index, whose entries for
 * every message just sent stay until a vacuum: thousands a pass under load. With `scan: false` it
 * looks only when this call deleted a lapsed lease (the usual way a worker's claims become orphans);
 * the scheduler passes `scan: true` every ORPHAN_SCAN_INTERVAL_MS and while orphans remain.
 */
export async function requeueOrphanedClaims(
  db: Db,
  {
    deliveryQueue,
    campaignQueue,
    campaignBatchSize,
    keyPrefix,
    scan = true,
  }: {
    deliveryQueue: Queue;
    campaignQueue: Queue;
    campaignBatchSize: number;
    keyPrefix: string;
    /** Look for orphans even if no lease lapsed since the last call. */
    scan?: boolean;
  },
): Promise<{ recovered: number; requeued: number; postponed: number; scanned: boolean }> {
  const dead = await db.$executeRaw`DELETE FROM worker_leases WHERE expires_at < now()`;
  if (dead > 0) await clearQueueEpochs(db);
  if (dead === 0 && !scan) return { recovered: 0, requeued: 0, postponed: 0, scanned: false };
  const orphans = await db.$queryRaw<Orphan[]>`
    SELECT id::text, claimed_by::text, campaign_id::text, send_after FROM messages m
     WHERE m.status = 'sending' AND m.claimed_by IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM worker_leases l WHERE l.id = m.claimed_by AND l.expires_at > now())
     LIMIT 10000`;
  if (orphans.length === 0) return { recovered: 0, requeued: 0, postponed: 0, scanned: true };

  const marked = new Set<string>();
  try {
    for (const workerId of new Set(orphans.map((o) => o.claimed_by))) {
      for (const id of await readSentMarks(campaignQueue.client, keyPrefix, workerId)) marked.add(id);
    }
  } catch {
    // Unreadable marks are not "no marks": requeueing now would send again what the SMTP server
    // accepted. The claims stay as they are until a later round can read them.
    return { recovered: 0, requeued: 0, postponed: orphans.length, scanned: true };
  }
  const settled = await settleClaims(
    db,
    orphans.map((o) => o.id),
    marked,
    {
      held: orphaned,
      why: {
        requeued: 'the worker holding the claim stopped',
        recovered: 'the SMTP server had accepted it before its worker stopped',
      },
      deliveryQueue,
      campaignQueue,
      campaignBatchSize,
    },
  );
  return { ...settled, postponed: 0, scanned: true };
}

/**
 * This worker's own claims that its deliveries left behind (delivery-store.ts, claimsLeftBehind):
 * settled as a dead worker's are, from this worker's own marks, and only while each is still the
 * claim that was found (not claimed again since, by this worker or, its lease lapsed, another). While
 * the marks cannot be read, nothing is settled and the store looks again next time.
 */
export async function requeueClaimsLeftBehind(
  db: Db,
  store: Pick<DeliveryStore, 'claimsLeftBehind' | 'lookAgain'>,
  {
    workerId,
    deliveryQueue,
    campaignQueue,
    campaignBatchSize,
    keyPrefix,
  }: {
    workerId: string;
    deliveryQueue: Queue;
    campaignQueue: Queue;
    campaignBatchSize: number;
    keyPrefix: string;
  },
): Promise<{ recovered: number; requeued: number; postponed: number }> {
  const left = await store.claimsLeftBehind();
  if (left.length === 0) return { recovered: 0, requeued: 0, postponed: 0 };
  let marked: Set<string>;
  try {
    marked = await readSentMarks(campaignQueue.client, keyPrefix, workerId);
  } catch {
    store.lookAgain();
    return { recovered: 0, requeued: 0, postponed: left.length };
  }
  const held = Prisma.sql`m.status = 'sending' AND m.claimed_by = ${workerId}::uuid
    AND m.claimed_at = (SELECT c.at::timestamptz
                          FROM unnest(${left.map((c) => c.id)}::uuid[], ${left.map((c) => c.claimedAt)}::text[]) AS c(id, at)
                         WHERE c.id = m.id)`;
  try {
    const settled = await settleClaims(
      db,
      left.map((c) => c.id),
      marked,
      {
        held,
        why: {
          requeued: 'the delivery holding the claim ended without recording an outcome or giving it back',
          recovered: 'the SMTP server had accepted it before its delivery could record it',
        },
        deliveryQueue,
        campaignQueue,
        campaignBatchSize,
      },
    );
    return { ...settled, postponed: 0 };
  } catch (error) {
    store.lookAgain();
    throw error;
  }
}

/**
 * Claims whose holder will not finish them: those the SMTP server had accepted (`marked`) are recorded
 * as sent, the others go back to "queued" with a `requeued` event and get a job again. `held` is the
 * condition each must still meet, checked in the statement that moves it.
 */
async function settleClaims(
  db: Db,
  ids: string[],
  marked: Set<string>,
  {
    held,
    why,
    deliveryQueue,
    campaignQueue,
    campaignBatchSize,
  }: {
    held: Prisma.Sql;
    /** The reason a requeued event gives, and the note on a sent one. */
    why: { requeued: string; recovered: string };
    deliveryQueue: Queue;
    campaignQueue: Queue;
    campaignBatchSize: number;
  },
): Promise<{ recovered: number; requeued: number }> {
  const sentIds = ids.filter((id) => marked.has(id));
  const recovered = sentIds.length === 0 ? 0 : await recordRecovered(db, sentIds, held, why.recovered);
  const rows = await requeue(
    db,
    ids.filter((id) => !marked.has(id)),
    held,
    why.requeued,
  );

  // A job id of its own: the job that ran the message may still sit in Redis as active.
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
  // Delays until send_after are counted on the database's clock, which set send_after and judges it.
  const now = rows[0]?.db_now.getTime();
  for (const [campaignId, messages] of byCampaign) {
    await campaignQueue.addBulk(toSendBatchJobs(campaignId, messages, campaignBatchSize, now));
  }
  return { recovered, requeued: rows.length };
}

const orphaned = Prisma.sql`m.status = 'sending' AND m.claimed_by IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM worker_leases l WHERE l.id = m.claimed_by AND l.expires_at > now())`;

async function recordRecovered(db: Db, ids: string[], held: Prisma.Sql, note: string): Promise<number> {
  const detail = JSON.stringify({ recovered: note });
  return db.$executeRaw(Prisma.sql`
    WITH moved AS (
      UPDATE messages m
         SET status = 'sent', sent_at = now(), claimed_at = NULL, claimed_by = NULL, updated_at = now()
       WHERE m.id = ANY(${ids}::uuid[]) AND ${held}
   RETURNING m.id)
    INSERT INTO message_events (message_id, type, detail)
    SELECT id, 'sent', ${detail}::jsonb FROM moved`);
}

async function requeue(db: Db, ids: string[], held: Prisma.Sql, reason: string) {
  if (ids.length === 0) return [];
  const detail = JSON.stringify({ reason });
  return db.$queryRaw<{ id: string; campaign_id: string | null; send_after: Date | null; db_now: Date }[]>(
    Prisma.sql`
    WITH moved AS (
      UPDATE messages m
         SET status = 'queued', claimed_at = NULL, claimed_by = NULL, updated_at = now()
       WHERE m.id = ANY(${ids}::uuid[]) AND ${held}
   RETURNING m.id, m.campaign_id, m.send_after),
    events AS (
      INSERT INTO message_events (message_id, type, detail)
      SELECT id, 'requeued', ${detail}::jsonb FROM moved)
    SELECT id::text, campaign_id::text, send_after, now() AS db_now FROM moved`,
  );
}
