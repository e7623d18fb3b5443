import { Prisma } from '@herald/db';
import { deliverMessage } from '../delivery/deliver-message.js';
import type { DeliveryDeps, DeliveryResult } from '../delivery/delivery-deps.js';
import { requeueIfResumed } from './requeue-if-resumed.js';

interface BatchSummary {
  /** Outcome → number of messages. */
  outcomes: Record<string, number>;
  /** Messages whose SMTP trouble was temporary: the caller retries each as a single send. */
  retry: string[];
  /** Messages not due yet (local-time mode), with the instant they are due. */
  early: { id: string; sendAfter: Date }[];
  /** True when the campaign was paused: the rest of the batch stays queued for the resume. */
  parked: boolean;
}

/**
 * Sends one batch of a campaign's messages. Before each chunk it looks at the campaign (paused: stop,
 * leaving the rest queued; cancelled: the send path finishes them as suppressed) and takes the
 * chunk's share of the campaign's rate from Redis. Each message then goes through the same send path
 * as a single message: claim, consent decision at send time, render, SMTP, record.
 */
export async function sendCampaignBatch(
  deps: DeliveryDeps,
  {
    campaignId,
    messageIds,
    isFinalAttempt,
    stopping = () => false,
  }: {
    campaignId: string;
    messageIds: string[];
    isFinalAttempt: boolean;
    /** The worker is shutting down: the rest stays queued, the scheduler enqueues it again. */
    stopping?: () => boolean;
  },
): Promise<BatchSummary> {
  const summary: BatchSummary = { outcomes: {}, retry: [], early: [], parked: false };
  const skipped: string[] = [];
  let remaining = messageIds;
  while (remaining.length > 0 && !stopping()) {
    const campaign = await deps.campaigns.state(campaignId);
    if (campaign?.status === 'paused') {
      // The cache may be up to 250 ms behind a resume whose re-enqueue has already run (and made this
      // very job): the rest of the batch, left queued, would have no job. Same check as a parked message.
      summary.parked = true;
      await requeueIfResumed(deps.db, campaignId);
      break;
    }
    if (deps.smtp.holding()) {
      // The SMTP relay cannot be reached: take no more of the rate; the rest waits as held single sends.
      summary.retry.push(...remaining);
      break;
    }
    let size = remaining.length;
    if (campaign?.status === 'sending' && campaign.ratePerSecond !== null) {
      size = await deps.campaigns.acquire(campaignId, campaign.ratePerSecond, remaining.length);
      if (size === 0) continue;
    }
    const chunk = remaining.slice(0, size);
    remaining = remaining.slice(size);
    const done = deps.store.track(chunk);
    const settled = await Promise.allSettled(
      chunk.map((messageId) => deliverMessage(deps, { messageId, isFinalAttempt, rateAcquired: true })),
    ).finally(done);
    const failed = chunk.filter((_, index) => settled[index]?.status === 'rejected');
    if (failed.length > 0) {
      // The whole batch is retried (the database or Redis failed it): every delivery has ended, and the
      // claims of those that threw go back, so the retry (or the reconciler) can claim them again.
      const error = (settled.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as Error;
      await deps.store.release(failed, error.message).catch(() => undefined);
      throw error;
    }
    const results = settled.map((r) => (r as PromiseFulfilledResult<DeliveryResult>).value);
    results.forEach((result: DeliveryResult, index) => {
      const messageId = chunk[index] as string;
      summary.outcomes[result.outcome] = (summary.outcomes[result.outcome] ?? 0) + 1;
      if (result.outcome === 'retry' || result.outcome === 'held') summary.retry.push(messageId);
      if (result.outcome === 'skipped') skipped.push(messageId);
      if (result.outcome === 'parked') summary.parked = true;
    });
  }
  if (skipped.length > 0) summary.early = await findEarly(deps, skipped);
  return summary;
}

/**
 * A message is skipped when another job already handled it, or when it is not due yet: a job that
 * ran early (Redis lost its delay and the scheduler re-enqueued it) must wait for the right time.
 */
async function findEarly(deps: DeliveryDeps, messageIds: string[]) {
  const rows = await deps.db.$queryRaw<{ id: string; send_after: Date }[]>(Prisma.sql`
    SELECT id::text, send_after FROM messages
     WHERE id = ANY(${messageIds}::uuid[]) AND status::text = 'queued' AND send_after > now()`);
  return rows.map((row) => ({ id: row.id, sendAfter: row.send_after }));
}
