import { type Db, Prisma } from '@herald/db';
import type { Queue } from 'bull';
import { sendMessageJob } from '../delivery/delivery-queue.js';

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
  let delayOf = (_index: number) => 0;
  if (ratePerSecond) {
    const spanSeconds = messageIds.length / ratePerSecond;
    const [slots] = await db.$queryRaw<{ starts_in_ms: number }[]>(Prisma.sql`
      WITH slots AS (
        UPDATE policy_versions
           SET send_slots_until = GREATEST(COALESCE(send_slots_until, now()), now())
                                  + make_interval(secs => ${spanSeconds}::float8)
         WHERE id = ${policyVersionId}::uuid
     RETURNING send_slots_until - make_interval(secs => ${spanSeconds}::float8) AS starts_at),
      due AS (
        UPDATE messages m
           SET send_after = s.starts_at + make_interval(secs => (i.index - 1) / ${ratePerSecond}::float8)
          FROM slots s, unnest(${messageIds}::uuid[]) WITH ORDINALITY AS i(id, index)
         WHERE m.id = i.id AND m.status = 'queued')
      SELECT (extract(epoch FROM starts_at - clock_timestamp()) * 1000)::float8 AS starts_in_ms FROM slots`);
    // Bull counts a job's delay from when it is added: the time since the database measured the
    // slot (clock_timestamp, not the statement's start) is taken off, so each batch's jobs fall due
    // at its slots and not later by however long this process took to get here.
    const answeredAt = performance.now();
    const startsInMs = slots?.starts_in_ms ?? 0;
    delayOf = (index) =>
      Math.max(0, startsInMs - (performance.now() - answeredAt) + (index * 1000) / ratePerSecond);
  }
  try {
    await queue.addBulk(messageIds.map((id, index) => sendMessageJob(id, delayOf(index))));
  } catch (error) {
    log?.(
      `${messageIds.length} policy email(s) stored but not enqueued (${(error as Error).message}); the reconciler will enqueue them`,
    );
  }
}
