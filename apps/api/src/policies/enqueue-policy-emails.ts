import { type Db, Prisma } from '@herald/db';
import type { Queue } from 'bull';
import { sendMessageJob } from '../delivery/delivery-queue.js';

/**
 * Enqueues a batch of announcement emails on the delivery queue. With a rate, the batch first
 * reserves its send slots in PostgreSQL (one atomic update, so batches from any worker never overlap)
 * and each job waits in Redis for its slot: the rate holds across every worker without a limiter in
 * the send path. If Redis refuses the jobs, the messages stay queued and the reconciler enqueues them.
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
    const [slots] = await db.$queryRaw<{ ends_in_ms: number }[]>(Prisma.sql`
      UPDATE policy_versions
         SET send_slots_until = GREATEST(COALESCE(send_slots_until, now()), now())
                                + make_interval(secs => ${spanSeconds}::float8)
       WHERE id = ${policyVersionId}::uuid
   RETURNING (extract(epoch FROM send_slots_until - now()) * 1000)::float8 AS ends_in_ms`);
    const startsInMs = (slots?.ends_in_ms ?? 0) - spanSeconds * 1000;
    delayOf = (index) => Math.max(0, Math.round(startsInMs + (index * 1000) / ratePerSecond));
  }
  try {
    await queue.addBulk(
      messageIds.map((id, index) => {
        const job = sendMessageJob(id);
        const delay = delayOf(index);
        return { ...job, opts: { ...job.opts, ...(delay > 0 && { delay }) } };
      }),
    );
  } catch (error) {
    log?.(
      `${messageIds.length} policy email(s) stored but not enqueued (${(error as Error).message}); the reconciler will enqueue them`,
    );
  }
}
