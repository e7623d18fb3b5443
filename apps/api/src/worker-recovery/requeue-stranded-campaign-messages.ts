import { type Db, Prisma } from '@herald/db';
import type { Queue } from 'bull';
import { SendBatchJobSchema, toSendBatchJobs } from '../campaigns/campaign-queue.js';
import { jobStates } from '../delivery/job-states.js';

/** Live jobs: those that can still run. Failed and completed jobs send nothing more. */
const LIVE = ['waiting', 'active', 'delayed', 'paused'] as const;

/**
 * Campaign messages that no job will ever send get one again, whatever Redis's epoch says: a batch
 * job that failed for good (PostgreSQL away through its attempts), or a Redis restored from an older
 * snapshot (same epoch, jobs lost). A message of a sending campaign whose fan-out is done, queued or
 * claimed for longer than `olderThanMs` and named by no live job of the campaign queue nor of the
 * bulk queue (its single retries), is enqueued again in batches. The live jobs are read only when
 * such old messages exist. A message that still has a job after all is claimed by one of the two.
 */
export async function requeueStrandedCampaignMessages(
  db: Db,
  {
    campaignQueue,
    bulkQueue,
    batchSize,
    olderThanMs,
  }: {
    campaignQueue: Queue;
    bulkQueue: Queue;
    batchSize: number;
    olderThanMs: number;
  },
): Promise<number> {
  const old = await db.$queryRaw<
    { id: string; campaign_id: string; send_after: Date | null; db_now: Date }[]
  >(Prisma.sql`
    SELECT m.id::text, m.campaign_id::text, m.send_after, now() AS db_now
      FROM messages m JOIN campaigns c ON c.id = m.campaign_id
     WHERE c.status = 'sending' AND c.fanout_done_at IS NOT NULL
       AND ((m.status = 'queued' AND m.updated_at < now() - make_interval(secs => ${olderThanMs / 1000}))
            OR (m.status = 'sending' AND m.claimed_at < now() - make_interval(secs => ${olderThanMs / 1000})))
     ORDER BY m.id
     LIMIT 10000`);
  if (old.length === 0) return 0;

  const covered = new Set<string>();
  for (const job of await campaignQueue.getJobs([...LIVE])) {
    const batch = SendBatchJobSchema.safeParse(job?.data);
    if (batch.success) for (const id of batch.data.messageIds) covered.add(id);
  }
  // A single retry's job id is its message id: ask for the candidates' own jobs rather than read every
  // live job of the bulk queue, which also holds every policy notice waiting its turn (tens of
  // thousands behind a big campaign, read again on every pass).
  const singles = await jobStates(
    bulkQueue,
    old.map((row) => row.id),
  );
  for (const [id, state] of singles) if (state === 'live') covered.add(id);
  const stranded = old.filter((row) => !covered.has(row.id));
  const byCampaign = new Map<string, { id: string; sendAfter: Date | null }[]>();
  for (const row of stranded) {
    const list = byCampaign.get(row.campaign_id) ?? [];
    list.push({ id: row.id, sendAfter: row.send_after });
    byCampaign.set(row.campaign_id, list);
  }
  // Delays until send_after are counted on the database's clock, which set send_after.
  const now = old[0]?.db_now.getTime();
  for (const [campaignId, messages] of byCampaign) {
    await campaignQueue.addBulk(toSendBatchJobs(campaignId, messages, batchSize, now));
  }
  return stranded.length;
}
