import type { DbClient } from './db-client.js';

/**
 * How long an opt-out waits at most. A started message is one SMTP transaction away from final, or
 * two when the pooled connection it waits for is busy; slow servers take seconds per step, and a
 * mail provider's one-click request should not hang much longer than that.
 */
export const IN_FLIGHT_WAIT_MS = 20_000;

/**
 * Called by every opt-out AFTER its change has committed, before it answers: waits until none of the
 * contact's messages that a worker had started (`send_started_at`, stamped after the claim and
 * immediately before the worker's last consent read, see the API's startSending) is still being
 * sent. A worker that stamped before this opt-out committed may have read the old consent and is
 * sending; one that stamps later reads the new consent and stops. So once this returns, no message
 * to the contact starts its SMTP transaction. Messages only claimed (waiting for a send slot) are not
 * waited for: they decide again when they get one.
 *
 * Only stamps made before the first look count (a steady stream of new sends cannot hold the
 * answer; the 2 ms allow for the column's and JavaScript's millisecond rounding), and a claim whose worker's lease has lapsed (it died) is ignored, as the claim takeover
 * does. After `timeoutMs` it gives up and says how many were still in flight.
 */
export async function waitForInFlightDeliveries(
  db: DbClient,
  {
    contactId,
    timeoutMs = IN_FLIGHT_WAIT_MS,
    pollMs = 20,
  }: { contactId: string; timeoutMs?: number; pollMs?: number },
): Promise<{ inFlight: number; waitedMs: number }> {
  const started = Date.now();
  let lookedAt: Date | null = null;
  for (;;) {
    // Named (prepared once per connection, decision 027): every one-click runs it. Its generic plan
    // reads the contact's messages by the contact index, as its custom plans do.
    const rows: { in_flight: number; looked_at: Date }[] = await db.$queryRaw`/* herald:named */
      SELECT count(*)::int AS in_flight, COALESCE(${lookedAt}::timestamptz, clock_timestamp()) AS looked_at
        FROM messages m
       WHERE m.contact_id = ${contactId}::uuid AND m.status = 'sending'
         AND m.send_started_at >= m.claimed_at
         AND m.send_started_at <= COALESCE(${lookedAt}::timestamptz, clock_timestamp()) + interval '2 milliseconds'
         AND EXISTS (SELECT 1 FROM worker_leases l WHERE l.id = m.claimed_by AND l.expires_at > now())`;
    lookedAt ??= rows[0]?.looked_at ?? new Date();
    const inFlight = rows[0]?.in_flight ?? 0;
    const waitedMs = Date.now() - started;
    if (inFlight === 0 || waitedMs >= timeoutMs) return { inFlight, waitedMs };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
