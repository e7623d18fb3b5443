import type { Queue } from 'bull';
import { within } from '../core/within.js';
import type { DeliveryStream } from '../delivery/delivery-queue.js';
import { smtpStatusKey } from '../delivery/smtp-status-key.js';

type Redis = Queue['client'];

const STREAMS: DeliveryStream[] = ['transactional', 'bulk'];

/**
 * Whether the workers can reach the SMTP relay, as their circuit breakers last wrote it to Redis:
 * `unavailable` with the earliest time a stream's breaker opened, or `ok`. Null when Redis cannot
 * say (its own reachability is reported apart).
 */
export async function readSmtpStatus(
  redis: Redis,
  keyPrefix: string,
  timeoutMs: number,
): Promise<{ smtp: 'ok' } | { smtp: 'unavailable'; since: string } | null> {
  if (redis.status !== 'ready') return null;
  try {
    const values = await within(
      redis.mget(...STREAMS.map((stream) => smtpStatusKey(keyPrefix, stream))),
      timeoutMs,
    );
    const since = values.filter((value): value is string => value !== null).sort()[0];
    return since ? { smtp: 'unavailable', since } : { smtp: 'ok' };
  } catch {
    return null;
  }
}
