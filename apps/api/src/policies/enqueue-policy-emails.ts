import { type Db, Prisma } from '@herald/db';
import type { Queue } from 'bull';
import { sendMessageJob, sendMessageJobDueAt } from '../delivery/delivery-queue.js';

/**
 * Enqueues a batch of announcement emails on the bulk delivery queue. With a rate, the batch first
 * reserves its send slots in PostgreSQL (one atomic update, so batches from any worker never overlap)
 * and stores each message's slot as its `send_after`, in the same statement: the claim refuses a
 * message before it, and the reconciler re-adds a message whose job Redis lost with a delay until
 * it. The job waits in Redis for that slot, so the rate holds across every worker, and across a loss
 * of Redis, without a limiter in the send path. If Redis refuses the jobs, the messages stay queued
 * and the reconciler enqueues them.
 */
export async function enqueuePolicyEmails(
  { db, queue, log }: { db: Db; queue: Queue; log?: (message: string) => void },
  {
    policyVersionId,
    ratePerSecond,
    messageIds,
  }: { policyVersionId: string; ratePerSecond: number | null; messageIds: string[] },
): Promise<void> {
  if (messageIds.length === 0) return;
  let jobs = messageIds.map((id) => sendMessageJob(id));
  if (ratePerSecond) {
    const spanSeconds = messageIds.length / ratePerSecond;
    const slots = await db.$queryRaw<{ id: string; due_ms: number }[]>(Prisma.sql`
      WITH slots AS (
        UPDATE policy_versions
           SET send_slots_until = GREATEST(COALESCE(send_slots_until, now()), now())
                                  + make_interval(secs => ${spanSeconds}::float8)
         WHERE id = ${policyVersionId}::uuid
     RETURNING send_slots_until - make_interval(secs => ${spanSeconds}::float8) AS starts_at)
      UPDATE messages m
         SET send_after = s.starts_at + make_interval(secs => (i.index - 1) / ${ratePerSecond}::float8)
        FROM slots s, unnest(${messageIds}::uuid[]) WITH ORDINALITY AS i(id, index)
       WHERE m.id = i.id AND m.status = 'queued'
   RETURNING m.id::text AS id, (extract(epoch FROM m.send_after) * 1000)::float8 AS due_ms`);
    // Each job falls due at its message's slot as the database stored it. A message no longer
    // queued got no slot: its job finds nothing to send.
    const dueAt = new Map(slots.map((slot) => [slot.id, slot.due_ms]));
    const addedAt = Date.now();
    jobs = messageIds.map((id) => {
      const at = dueAt.get(id);
      return at === undefined ? sendMessageJob(id) : sendMessageJobDueAt(id, at, addedAt);
    });
  }
  try {
    await queue.addBulk(jobs);
  } catch (error) {
    log?.(
      `${messageIds.length} policy email(s) stored but not enqueued (${(error as Error).message}); the reconciler will enqueue them`,
    );
  }
}
