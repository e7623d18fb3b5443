import { dateTimeInstant } from '@herald/contract';
import { DomainError } from '../core/domain-error.js';

/** How far in the past a send time may be (a clock skew, a slow form): older is refused as a mistake. */
const PAST_TOLERANCE_MS = 5 * 60 * 1000;

/**
 * The instant a campaign is due. A sendAt with an offset is that instant; without one it is a
 * wall-clock time in `timezone` (DST-aware). A time more than five minutes ago is refused: sending a
 * campaign at once by a typo in the year is the mistake this guards against.
 */
export function resolveSendAt(sendAt: string, timezone: string, now = Date.now()): Date {
  const instant = dateTimeInstant(sendAt, timezone);
  if (!instant) {
    throw new DomainError(
      'invalid_request',
      `Invalid request body: sendAt: "${sendAt}" is not a valid date-time.`,
    );
  }
  if (instant.getTime() < now - PAST_TOLERANCE_MS) {
    throw new DomainError('send_at_in_past', `sendAt (${instant.toISOString()}) is in the past.`);
  }
  return instant;
}
