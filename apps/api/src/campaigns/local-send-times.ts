import { wallClock, zonedTimeToInstant } from '@herald/contract';

/**
 * "Recipient's local time": the campaign's wall-clock time of day (sendAt as seen in the campaign's
 * zone) in each contact's own zone, at its first occurrence at or after sendAt, so every contact gets
 * the campaign within the 24 hours that follow sendAt. Unknown zones are left out (their contacts
 * get sendAt itself).
 */
export function localSendTimes(
  { sendAt, timezone }: { sendAt: Date; timezone: string },
  zones: string[],
): Map<string, Date> {
  const { hour, minute, second } = wallClock(sendAt, timezone);
  // Wall clocks are read to the second; the milliseconds are the same in every zone.
  const millis = sendAt.getUTCMilliseconds();
  const times = new Map<string, Date>();
  for (const zone of zones) {
    try {
      const today = wallClock(sendAt, zone);
      let at = new Date(zonedTimeToInstant({ ...today, hour, minute, second }, zone).getTime() + millis);
      if (at.getTime() < sendAt.getTime()) {
        const next = new Date(Date.UTC(today.year, today.month - 1, today.day + 1));
        at = zonedTimeToInstant(
          {
            year: next.getUTCFullYear(),
            month: next.getUTCMonth() + 1,
            day: next.getUTCDate(),
            hour,
            minute,
            second,
          },
          zone,
        );
        at = new Date(at.getTime() + millis);
      }
      times.set(zone, at);
    } catch {
      // Not a zone this runtime knows: the contact gets sendAt.
    }
  }
  return times;
}
