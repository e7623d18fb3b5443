import { HeldDeliveryError } from './smtp-circuit-breaker-hold.js';

/** The name send-message jobs give their backoff; each queue's settings map it to `deliveryBackoff`. */
export const DELIVERY_BACKOFF = 'capped-exponential';

export interface DeliveryBackoffOptions {
  delayMs: number;
  maxDelayMs: number;
}

/**
 * Bull backoff strategy of send-message jobs: the first retry after `delayMs`, each later one twice
 * as long, never longer than `maxDelayMs`, so enough attempts cover a long outage instead of being
 * spent in minutes. A job held by the SMTP circuit breaker waits what the breaker asked.
 */
export function deliveryBackoff(
  attemptsMade: number,
  error: Error,
  options?: DeliveryBackoffOptions,
): number {
  if (error instanceof HeldDeliveryError) return error.delayMs;
  const delayMs = options?.delayMs ?? 1000;
  const maxDelayMs = options?.maxDelayMs ?? delayMs;
  const doublings = Math.max(0, attemptsMade - 1);
  // 2 ** 1024 is Infinity, which Math.min handles; stop well before to keep the arithmetic exact.
  return Math.min(maxDelayMs, delayMs * 2 ** Math.min(doublings, 40));
}
