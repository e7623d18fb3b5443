/**
 * How far a signed timestamp may be from now, either way: five minutes, the window the signing
 * schemes that document one use (Stripe, Svix, Standard Webhooks); SendGrid and Mailgun sign each
 * delivery attempt when they make it and document none. A replay outside it is refused; one inside
 * it applies nothing twice, since every event is kept under its provider id.
 */
export const REPLAY_WINDOW_SECONDS = 5 * 60;

/** Whether a Unix timestamp in seconds (a string, as the providers send it) is within the window of `nowMs`. */
export function isFreshTimestamp(value: unknown, nowMs = Date.now()): boolean {
  const seconds = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(seconds) && Math.abs(nowMs / 1000 - seconds) <= REPLAY_WINDOW_SECONDS;
}
