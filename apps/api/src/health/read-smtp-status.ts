import type { Queue } from 'bull';
import { within } from '../core/within.js';
import type { DeliveryStream } from '../delivery/delivery-queue.js';
import { smtpStatusKey } from '../delivery/smtp-status-key.js';

type Redis = Queue['client'];

const STREAMS: DeliveryStream[] = ['transactional', 'bulk'];
const RELAYS = ['transactional', 'promotional'] as const;

/** Since when a relay cannot be reached (the earliest of its streams' breakers), or null when it can. */
export type SmtpStatus = Record<(typeof RELAYS)[number], string | null>;

/**
 * Whether the workers can reach their SMTP relays, as their circuit breakers last wrote it to Redis:
 * for SMTP_URL (`transactional`: everything but promotional mail, and promotional mail too when
 * PROMOTIONAL_SMTP_URL is unset) and for PROMOTIONAL_SMTP_URL (`promotional`; never unavailable when
 * it is not set), the earliest time one of its breakers opened, or null. Null when Redis cannot say
 * (its own reachability is reported apart).
 */
export async function readSmtpStatus(
  redis: Redis,
  keyPrefix: string,
  timeoutMs: number,
): Promise<SmtpStatus | null> {
  if (redis.status !== 'ready') return null;
  const keys = RELAYS.flatMap((relay) => STREAMS.map((stream) => smtpStatusKey(keyPrefix, stream, relay)));
  try {
    const values = await within(redis.mget(...keys), timeoutMs);
    const earliest = (relayIndex: number) =>
      values
        .slice(relayIndex * STREAMS.length, (relayIndex + 1) * STREAMS.length)
        .filter((value): value is string => value !== null)
        .sort()[0] ?? null;
    return { transactional: earliest(0), promotional: earliest(1) };
  } catch {
    return null;
  }
}
