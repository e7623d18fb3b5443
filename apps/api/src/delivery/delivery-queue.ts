import type { CommonEnv } from '@herald/config';
import type { JobOptions, QueueOptions } from 'bull';
import { z } from 'zod';
import { DELIVERY_BACKOFF, type DeliveryBackoffOptions, deliveryBackoff } from './delivery-backoff.js';

/**
 * The single-send job contract, defined once: two queue names, one job name and a versioned payload.
 * Mail travels in two streams, each with its own queue, worker concurrency and send slots, so bulk
 * mail can never take what a sign-in link needs:
 * - `delivery`, transactional: what POST /v1/messages accepts (sign-in links, security mail, notices);
 * - `bulk-delivery`: policy announcement emails and campaign messages retried one by one after a
 *   temporary SMTP failure (campaign batches have `campaign-delivery`, campaigns/campaign-queue.ts).
 */
export const DELIVERY_QUEUE = 'delivery';
export const BULK_DELIVERY_QUEUE = 'bulk-delivery';
export const SEND_MESSAGE_JOB = 'send-message';

export type DeliveryStream = 'transactional' | 'bulk';

export const SendMessageJobSchema = z.object({
  version: z.literal(1),
  messageId: z.uuid(),
});
type SendMessageJob = z.output<typeof SendMessageJobSchema>;

export function deliveryQueueOptions(env: CommonEnv): QueueOptions & { url: string } {
  return {
    url: env.REDIS_URL,
    prefix: env.HERALD_QUEUE_PREFIX,
    defaultJobOptions: sendJobOptions(env),
    settings: { backoffStrategies: { [DELIVERY_BACKOFF]: deliveryBackoff } },
  };
}

function sendJobOptions(env: CommonEnv): JobOptions {
  return {
    attempts: env.DELIVERY_ATTEMPTS,
    backoff: {
      type: DELIVERY_BACKOFF,
      options: {
        delayMs: env.DELIVERY_BACKOFF_MS,
        maxDelayMs: env.DELIVERY_MAX_BACKOFF_MS,
      } satisfies DeliveryBackoffOptions,
    },
    removeOnComplete: true,
    removeOnFail: 1000,
  };
}

/**
 * The job id is the message id, so enqueueing a message twice adds one job while the first is still
 * in Redis. A delay holds the job until the message's `send_after` (the claim refuses it before).
 */
export function sendMessageJob(
  messageId: string,
  delayMs = 0,
): { name: string; data: SendMessageJob; opts: JobOptions } {
  return {
    name: SEND_MESSAGE_JOB,
    data: { version: 1, messageId },
    opts: { jobId: messageId, ...(delayMs > 0 && { delay: Math.ceil(delayMs) }) },
  };
}

/**
 * A send job due at a moment of the database's clock (a message's `send_after`, in epoch
 * milliseconds), added at `addedAt`: Bull runs a job at its timestamp plus its delay, so both are
 * given and the job falls due at the slot itself, not at the slot plus however long this process
 * took between reading it and adding the job. A slot already past is due when added.
 */
export function sendMessageJobDueAt(
  messageId: string,
  dueAtMs: number,
  addedAt: number,
): { name: string; data: SendMessageJob; opts: JobOptions } {
  const job = sendMessageJob(messageId);
  const delay = Math.ceil(dueAtMs) - addedAt;
  // Bull reads `timestamp` from a job's options (lib/job.js); its type declarations leave it out.
  const opts: JobOptions & { timestamp: number } = {
    ...job.opts,
    timestamp: addedAt,
    ...(delay > 0 && { delay }),
  };
  return { ...job, opts };
}
