import { type WallClock, wallClock } from './wall-clock.js';

const asUtc = (w: WallClock) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** The instant a wall-clock time happens in a zone (a time skipped by a DST change moves forward). */
export function zonedTimeToInstant(local: WallClock, timeZone: string): Date {
  const target = asUtc(local);
  let guess = target;
  for (let i = 0; i < 3; i++) {
    const diff = asUtc(wallClock(new Date(guess), timeZone)) - target;
    if (diff === 0) break;
    guess -= diff;
  }
  return new Date(guess);
}
