import { type Db, Prisma } from '@herald/db';
import type { Queue } from 'bull';
import { type DeliveryStream, sendMessageJob } from './delivery-queue.js';

/**
 * The database is the source of truth: every queued message (and every message whose claim went
 * stale because its worker died) gets a job, on its stream's queue: policy announcement emails (a
 * notice points at them) on the bulk queue, the rest on the transactional one. A message not due yet
 * (`send_after`, a throttled announcement) gets a job delayed until then, so an announcement whose
 * jobs Redis lost keeps its pace instead of going out all at once. Job ids are message ids, so a
 * message that still has a job in Redis is not enqueued twice, and several workers may reconcile at
 * once. A job that already ended (failed for good, its last attempt thrown while PostgreSQL was away)
 * is removed first: Bull keeps failed jobs, and adding one with the same id would do nothing. Campaign messages are the scheduler's: it re-enqueues them in batches, and not while their
 * campaign is paused.
 */
export async function reconcileQueue(
  db: Db,
  queues: Record<DeliveryStream, Queue>,
  {
    olderThanMs,
    staleClaimMs,
    batchSize = 5000,
  }: { olderThanMs: number; staleClaimMs: number; batchSize?: number },
): Promise<number> {
  let enqueued = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    // A message not due yet is taken at once, without waiting for olderThanMs: re-adding one whose
    // delayed job is still in Redis changes nothing.
    const rows = await db.$queryRaw<{ id: string; bulk: boolean; delay_ms: number }[]>(Prisma.sql`
      SELECT m.id::text,
             EXISTS (SELECT 1 FROM notices n WHERE n.message_id = m.id) AS bulk,
             GREATEST(0, extract(epoch FROM m.send_after - now()) * 1000)::float8 AS delay_ms
        FROM messages m
       WHERE m.id > ${after}::uuid
         AND m.campaign_id IS NULL
         AND ((m.status = 'queued' AND (m.updated_at < now() - make_interval(secs => ${olderThanMs / 1000})
                                        OR m.send_after > now()))
              OR (m.status = 'sending' AND m.claimed_at < now() - make_interval(secs => ${staleClaimMs / 1000})))
       ORDER BY m.id
       LIMIT ${batchSize}`);
    if (rows.length === 0) return enqueued;
    for (const stream of ['transactional', 'bulk'] as const) {
      const ids = rows.filter((row) => row.bulk === (stream === 'bulk'));
      await removeFinishedJobs(
        queues[stream],
        ids.map((row) => row.id),
      );
      const jobs = ids.map((row) => sendMessageJob(row.id, row.delay_ms));
      if (jobs.length > 0) await queues[stream].addBulk(jobs);
    }
    enqueued += rows.length;
    after = (rows.at(-1) as { id: string }).id;
  }
}

/**
 * Removes the ended (failed or completed) jobs of these ids; waiting, delayed and active ones stay.
 * Asks only the two sets of ended jobs (ZSCORE, O(log n) each, in one pipeline): Bull's
 * `Job#getState` also scans the whole waiting list for each job, which made a pass over n queued
 * messages O(n²) in Redis. With 45,000 policy notices waiting behind a campaign, every pass of every
 * worker's reconciler kept Redis at a full core and starved the sends.
 */
export async function removeFinishedJobs(queue: Queue, jobIds: string[]): Promise<void> {
  if (jobIds.length === 0) return;
  const [failed, completed] = [queue.toKey('failed'), queue.toKey('completed')];
  const pipeline = queue.client.pipeline();
  for (const id of jobIds) pipeline.zscore(failed, id).zscore(completed, id);
  const replies = (await pipeline.exec()) ?? [];
  const ended = jobIds.filter((_, index) =>
    [replies[2 * index], replies[2 * index + 1]].some(
      (reply) => reply?.[1] !== null && reply?.[1] !== undefined,
    ),
  );
  await Promise.all(ended.map(async (id) => (await queue.getJob(id))?.remove()));
}
