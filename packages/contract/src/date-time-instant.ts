import { zonedTimeToInstant } from './zoned-time-to-instant.js';

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

/**
 * The instant a request's date-time names (ZonedDateTimeSchema): with an offset it is that instant;
 * without one it is a wall-clock time in `timeZone`, DST-aware. Null when it is no real date-time
 * (30 February, 24:00) or the zone is unknown.
 */
export function dateTimeInstant(value: string, timeZone: string): Date | null {
  const local = WALL_CLOCK.exec(value);
  if (!local) {
    const instant = new Date(value);
    return Number.isNaN(instant.getTime()) ? null : instant;
  }
  const [year, month, day, hour, minute, second = 0] = local.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number?,
  ];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day || hour > 23 || minute > 59) {
    return null;
  }
  try {
    return zonedTimeToInstant({ year, month, day, hour, minute, second }, timeZone);
  } catch {
    return null;
  }
}
