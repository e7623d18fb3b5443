import type { DeliveryStream } from './delivery-queue.js';

/**
 * The Redis key under which workers say that a stream's SMTP relay cannot be reached: its value is
 * when that started (ISO 8601), and it expires unless a worker whose breaker is open refreshes it,
 * so a worker that dies does not leave the outage showing. The API's /health reads it. The relay is
 * SMTP_URL's (`transactional`, the key it always had) or PROMOTIONAL_SMTP_URL's (`promotional`).
 */
export function smtpStatusKey(
  keyPrefix: string,
  stream: DeliveryStream,
  relay: 'transactional' | 'promotional' = 'transactional',
): string {
  return relay === 'transactional'
    ? `${keyPrefix}:smtp-unavailable:${stream}`
    : `${keyPrefix}:smtp-unavailable:promotional:${stream}`;
}
