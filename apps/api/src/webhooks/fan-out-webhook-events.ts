import type { Db } from '@herald/db';

/** An advisory lock key of its own: one fan-out at a time across every worker keeps events in order. */
const FAN_OUT_LOCK = 0x77_68_6b_31;

/**
 * Moves up to `batchSize` outbox rows, oldest first, into webhook_deliveries (one per enabled
 * endpoint that wants the event type) and deletes them, in one transaction: a crash leaves them in
 * the outbox, to be moved by the next pass. The rows are taken `FOR UPDATE SKIP LOCKED`, under a
 * transaction-level advisory lock, so two workers never move the same row and never interleave.
 * Answers how many outbox rows it took (0 when another worker holds the lock).
 */
export async function fanOutWebhookEvents(db: Db, { batchSize }: { batchSize: number }): Promise<number> {
  return db.$transaction(async (tx) => {
    const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`
      SELECT pg_try_advisory_xact_lock(${FAN_OUT_LOCK}::int) AS locked`;
    if (!lock?.locked) return 0;
    const [result] = await tx.$queryRaw<{ taken: number }[]>`
      WITH taken AS (
        SELECT id, event_type, contact_id, payload, created_at
          FROM webhook_outbox ORDER BY id LIMIT ${batchSize}::int FOR UPDATE SKIP LOCKED),
      gone AS (
        DELETE FROM webhook_outbox o USING taken t WHERE o.id = t.id RETURNING o.id),
      delivered AS (
        INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, contact_id, payload, occurred_at)
        SELECT gen_random_uuid(), e.id, t.id, t.event_type, t.contact_id, t.payload, t.created_at
          FROM taken t JOIN webhook_endpoints e ON e.disabled_at IS NULL AND t.event_type = ANY(e.events)
        ON CONFLICT (endpoint_id, event_id) DO NOTHING
        RETURNING 1)
      SELECT (SELECT count(*) FROM gone)::int AS taken, (SELECT count(*) FROM delivered)::int AS delivered`;
    return result?.taken ?? 0;
  });
}
