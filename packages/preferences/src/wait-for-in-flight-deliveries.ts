import type { DbClient } from './db-client.js';

/**
 * Waits until no message to the contact is being sent. A worker that read the contact's consent
 * state just before an unsubscribe committed may still be talking to the SMTP server; an
 * unsubscribe route that waits for it before answering can promise "once this request has
 * returned, nothing more reaches you". Claims older than `staleAfterMs` (a dead worker) are ignored,
 * and after `timeoutMs` it gives up rather than keep a mail provider waiting.
 */
export async function waitForInFlightDeliveries(
  db: DbClient,
  {
    contactId,
    timeoutMs = 5000,
    pollMs = 20,
    staleAfterMs = 60_000,
  }: { contactId: string; timeoutMs?: number; pollMs?: number; staleAfterMs?: number },
): Promise<{ inFlight: number; waitedMs: number }> {
  const started = Date.now();
  for (;;) {
    const [row] = await db.$queryRaw<{ in_flight: number }[]>`
      SELECT count(*)::int AS in_flight FROM messages
       WHERE contact_id = ${contactId}::uuid AND status = 'sending'
         AND claimed_at > now() - make_interval(secs => ${staleAfterMs / 1000})`;
    const inFlight = row?.in_flight ?? 0;
    const waitedMs = Date.now() - started;
    if (inFlight === 0 || waitedMs >= timeoutMs) return { inFlight, waitedMs };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
