import type { JobOptions } from 'bull';
import { z } from 'zod';

/**
 * The campaign job contract, defined once. Campaign mail has a queue of its own, so a 100,000-message
 * newsletter never delays a sign-in link waiting in the delivery queue. One job carries a batch of
 * message ids: one Bull round trip, one claim and one consent read for the whole batch.
 */
export const CAMPAIGN_QUEUE = 'campaign-delivery';
export const SEND_BATCH_JOB = 'send-batch';

export const SendBatchJobSchema = z.object({
  version: z.literal(1),
  campaignId: z.uuid(),
  messageIds: z.array(z.uuid()).min(1).max(1000),
});
type SendBatchJob = z.output<typeof SendBatchJobSchema>;

/**
 * Failures of a whole batch are the infrastructure's (PostgreSQL or Redis away): retried for about
 * 17 minutes. A message's own SMTP trouble never fails its batch; it is retried as a single send.
 */
const BATCH_JOB_OPTIONS: JobOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: 1000,
};

function sendBatchJob(
  campaignId: string,
  messageIds: string[],
  delayMs = 0,
): { name: string; data: SendBatchJob; opts: JobOptions } {
  return {
    name: SEND_BATCH_JOB,
    data: { version: 1, campaignId, messageIds },
    opts: { ...BATCH_JOB_OPTIONS, ...(delayMs > 0 && { delay: Math.ceil(delayMs) }) },
  };
}

/**
 * Splits messages into send-batch jobs of at most `batchSize`, one group per due time, so a
 * local-time campaign's messages each wait (as delayed jobs) for their own hour.
 */
export function toSendBatchJobs(
  campaignId: string,
  messages: { id: string; sendAfter: Date | null }[],
  batchSize: number,
  now = Date.now(),
) {
  const byDue = new Map<number, string[]>();
  for (const message of messages) {
    const due = message.sendAfter ? Math.max(0, message.sendAfter.getTime() - now) : 0;
    const group = byDue.get(due) ?? [];
    group.push(message.id);
    byDue.set(due, group);
  }
  const jobs: ReturnType<typeof sendBatchJob>[] = [];
  for (const [delay, ids] of byDue) {
    for (let i = 0; i < ids.length; i += batchSize) {
      jobs.push(sendBatchJob(campaignId, ids.slice(i, i + batchSize), delay));
    }
  }
  return jobs;
}
