import type { Job } from 'bull';

/** Thrown by a job held while its stream's SMTP circuit breaker is open; the backoff reads its delay. */
export class HeldDeliveryError extends Error {
  constructor(
    reason: string,
    readonly delayMs: number,
  ) {
    super(reason);
    this.name = 'HeldDeliveryError';
  }
}

/**
 * Puts a send-message job back, delayed, without using one of its attempts: the processor throws the
 * error this returns. Bull 4 has no "delay without failing": its retry (moveToFailed) counts one
 * attempt and waits what the backoff strategy answers, so the attempt it is about to count is taken
 * back here, and `deliveryBackoff` answers the delay. The job keeps its id (the message id), so the
 * reconciler still sees it and never adds a second one; the move is one Redis transaction.
 */
export function holdJob(job: Job, delayMs: number, reason: string): HeldDeliveryError {
  job.attemptsMade -= 1;
  return new HeldDeliveryError(reason, delayMs);
}
