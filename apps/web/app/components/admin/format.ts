/**
 * Instants are shown in UTC, with the zone named: the server and the browser render the same text
 * (no hydration mismatch), and an operator comparing dates across pages compares like with like.
 */
const dateTime = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});
const dateOnly = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });
const clock = new Intl.DateTimeFormat('en-GB', { timeStyle: 'medium', timeZone: 'UTC' });
const number = new Intl.NumberFormat('en-GB');

export const formatInstant = (iso: string | null | undefined) =>
  iso ? `${dateTime.format(new Date(iso))} UTC` : '—';

export const formatDate = (iso: string) => dateOnly.format(new Date(iso));

export const formatClock = (iso: string) => `${clock.format(new Date(iso))} UTC`;

export const formatCount = (value: number) => number.format(value);

const percent = new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 2 });

/** A rate (0.0042) as a percentage ("0.42%"); "—" when there is none (nothing was sent). */
export const formatPercent = (rate: number | null) => (rate === null ? '—' : percent.format(rate));
