import type { CommonEnv } from '@herald/config';
import type { JobOptions, QueueOptions } from 'bull';
import { z } from 'zod';

/** The delivery job contract, defined once: queue name, job name and a versioned payload. */
export const DELIVERY_QUEUE = 'delivery';
export const SEND_MESSAGE_JOB = 'send-message';

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
  };
}

function sendJobOptions(env: CommonEnv): JobOptions {
  return {
    attempts: env.DELIVERY_ATTEMPTS,
    backoff: { type: 'exponential', delay: env.DELIVERY_BACKOFF_MS },
    removeOnComplete: true,
    removeOnFail: 1000,
  };
}

/** The job id is the message id, so enqueueing a message twice adds one job while the first is still in Redis. */
export function sendMessageJob(messageId: string): { name: string; data: SendMessageJob; opts: JobOptions } {
  return { name: SEND_MESSAGE_JOB, data: { version: 1, messageId }, opts: { jobId: messageId } };
}
