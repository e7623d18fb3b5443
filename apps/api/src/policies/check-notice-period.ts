import { DomainError } from '../core/domain-error.js';

export const DAY_MS = 24 * 60 * 60 * 1000;

/** The earliest effective date that gives `noticeDays` of notice from `now`. */
export function earliestEffectiveAt(now: Date, noticeDays: number): Date {
  return new Date(now.getTime() + noticeDays * DAY_MS);
}

/**
 * The privacy policy promises notice before a change takes effect; Herald holds operators to
 * HERALD_POLICY_NOTICE_DAYS of it. Less is refused unless a written reason overrides the rule, and
 * a date already past is refused whatever the reason (no notice could precede it).
 * Answers whether the override was needed.
 */
export function checkNoticePeriod({
  effectiveAt,
  now,
  noticeDays,
  overrideReason,
}: {
  effectiveAt: Date;
  now: Date;
  noticeDays: number;
  overrideReason: string | null | undefined;
}): { overridden: boolean } {
  if (effectiveAt.getTime() <= now.getTime()) {
    throw new DomainError(
      'effective_date_in_past',
      `effectiveAt (${effectiveAt.toISOString()}) is not in the future: users must be notified before a change takes effect.`,
      { effectiveAt: effectiveAt.toISOString(), now: now.toISOString() },
    );
  }
  const earliest = earliestEffectiveAt(now, noticeDays);
  if (effectiveAt.getTime() >= earliest.getTime()) return { overridden: false };
  if (overrideReason) return { overridden: true };
  throw new DomainError(
    'effective_date_too_soon',
    `effectiveAt must be on or after ${earliest.toISOString()}, ${noticeDays} days from now ` +
      `(HERALD_POLICY_NOTICE_DAYS). To publish with less notice, add "override": { "reason": "…" }; ` +
      'the reason is recorded with the version.',
    { earliestAllowed: earliest.toISOString(), noticeDays },
  );
}
