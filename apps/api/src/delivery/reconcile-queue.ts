import { type Db, Prisma } from '@herald/db';
import type { Queue } from 'bull';
import { type DeliveryStream, sendMessageJob } from './delivery-queue.js';
import { type JobState, jobStates } from './job-states.js';

/**
 * The database is the source of truth: every queued message (and every message whose claim went
 * stale because its worker died) gets a job, on its stream's queue: policy announcement emails (a
 * notice points at them) on the bulk queue, the rest on the transactional one. A message not due yet
 * (`send_after`, a throttled announcement) gets a job delayed until then, so an announcement whose
 * jobs Redis lost keeps its pace instead of going out all at once. Job ids are message ids: each
 * message's job is looked up first (job-states.ts), and only one without a live job gets one, so
 * several workers may reconcile at once. A job that already ended (failed for good, its last attempt
 * thrown while PostgreSQL was away) is removed first: Bull keeps failed jobs, and adding one with the
 * same id would do nothing. Campaign messages are the scheduler's: it re-enqueues them in batches, and
 * not while their campaign is paused.
 *
 * One page a call (`batchSize` messages after `after`), answering where the next call goes on (back
 * to the beginning after the last page): each pass costs the same however long the backlog, and
 * the passes cover all of it in turn. A pass over a whole backlog of queued notices every interval
 * kept the worker's event loop busy for hundreds of milliseconds at a time, which sign-in links
 * waited out.
 */
export async function reconcileQueue(
  db: Db,
  queues: Record<DeliveryStream, Queue>,
  {
    olderThanMs,
    staleClaimMs,
    batchSize = 5000,
    after = FIRST_ID,
  }: { olderThanMs: number; staleClaimMs: number; batchSize?: number; after?: string },
): Promise<{ enqueued: number; next: string }> {
  // A message not due yet is looked at without waiting for olderThanMs: its delayed job may be gone.
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
  let enqueued = 0;
  for (const stream of ['transactional', 'bulk'] as const) {
    const ids = rows.filter((row) => row.bulk === (stream === 'bulk'));
    const states = await jobStates(
      queues[stream],
      ids.map((row) => row.id),
    );
    // A message waiting behind a long queue, or not due yet, still has its job: nothing to do (a
    // stale claim's live job is Bull's to move back when its worker's lock lapses).
    const needed = ids.filter((row) => states.get(row.id) !== 'live');
    await removeFinishedJobs(
      queues[stream],
      needed.map((row) => row.id),
      states,
    );
    if (needed.length > 0)
      await queues[stream].addBulk(needed.map((row) => sendMessageJob(row.id, row.delay_ms)));
    enqueued += needed.length;
  }
  // A full page: the next pass goes on after it; else the next pass starts from the beginning.
  const next = rows.length === batchSize ? (rows.at(-1) as { id: string }).id : FIRST_ID;
  return { enqueued, next };
}

/** Below every uuid: a pass from here starts at the beginning. */
const FIRST_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Removes the ended (failed or completed) jobs of these ids; waiting, delayed and active ones stay.
 * `states` when the caller has looked them up already.
 */
export async function removeFinishedJobs(
  queue: Queue,
  jobIds: string[],
  states?: Map<string, JobState>,
): Promise<void> {
  const known = states ?? (await jobStates(queue, jobIds));
  const ended = jobIds.filter((id) => known.get(id) === 'ended');
  await Promise.all(ended.map(async (id) => (await queue.getJob(id))?.remove()));
}
