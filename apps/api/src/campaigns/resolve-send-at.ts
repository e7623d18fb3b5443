import { DomainError } from '../core/domain-error.js';
import { zonedTimeToInstant } from './zoned-time.js';

/** How far in the past a send time may be (a clock skew, a slow form): older is refused as a mistake. */
const PAST_TOLERANCE_MS = 5 * 60 * 1000;

/**
 * The instant a campaign is due. A sendAt with an offset is that instant; without one it is a
 * wall-clock time in `timezone` (DST-aware). A time more than five minutes ago is refused: sending a
 * campaign at once by a typo in the year is the mistake this guards against.
 */
export function resolveSendAt(sendAt: string, timezone: string, now = Date.now()): Date {
  const hasOffset = /(Z|[+-]\d{2}:\d{2})$/.test(sendAt);
  let instant: Date;
  if (hasOffset) {
    instant = new Date(sendAt);
  } else {
    const [date = '', time = ''] = sendAt.split('T');
    const [year, month, day] = date.split('-').map(Number);
    const [hour, minute, second = 0] = time.split(':').map(Number);
    const calendar = new Date(Date.UTC(year as number, (month as number) - 1, day as number));
    if (calendar.getUTCDate() !== day || (hour as number) > 23 || (minute as number) > 59) {
      throw new DomainError(
        'invalid_request',
        `Invalid request body: sendAt: "${sendAt}" is not a valid date-time.`,
      );
    }
    instant = zonedTimeToInstant(
      {
        year: year as number,
        month: month as number,
        day: day as number,
        hour: hour as number,
        minute: minute as number,
        second: Math.floor(second),
      },
      timezone,
    );
  }
  if (Number.isNaN(instant.getTime())) {
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
