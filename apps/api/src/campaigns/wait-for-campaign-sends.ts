import { type Db, Prisma } from '@herald/db';

/** A pause or cancel waits at most this long for the sends already started, like an opt-out. */
const CAMPAIGN_SEND_WAIT_MS = 20_000;

/**
 * Called by pause and cancel AFTER their update has committed, before they answer: waits until none
 * of the campaign's messages a worker had started (`send_started_at`, stamped before the worker's
 * last read of the campaign's status, see delivery/start-sending.ts) is still being sent. A worker
 * that stamped later reads the new status and stops, so once this returns no message of the campaign
 * starts its SMTP transaction. Only stamps made before the first look count, and claims of workers
 * whose lease has lapsed are not waited for. Answers how many were still in flight at the timeout.
 */
export async function waitForCampaignSends(
  db: Db,
  {
    campaignId,
    timeoutMs = CAMPAIGN_SEND_WAIT_MS,
    pollMs = 20,
  }: { campaignId: string; timeoutMs?: number; pollMs?: number },
): Promise<number> {
  const started = Date.now();
  let lookedAt: Date | null = null;
  for (;;) {
    const rows: { in_flight: number; looked_at: Date }[] = await db.$queryRaw(Prisma.sql`
      SELECT count(*)::int AS in_flight, COALESCE(${lookedAt}::timestamptz, clock_timestamp()) AS looked_at
        FROM messages m
       WHERE m.campaign_id = ${campaignId}::uuid AND m.status = 'sending'
         AND m.send_started_at >= m.claimed_at
         AND m.send_started_at <= COALESCE(${lookedAt}::timestamptz, clock_timestamp()) + interval '2 milliseconds'
         AND EXISTS (SELECT 1 FROM worker_leases l WHERE l.id = m.claimed_by AND l.expires_at > now())`);
    const row = rows[0];
    lookedAt ??= row?.looked_at ?? new Date();
    const inFlight = row?.in_flight ?? 0;
    if (inFlight === 0 || Date.now() - started >= timeoutMs) return inFlight;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
