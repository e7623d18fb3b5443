import { type Db, Prisma } from '@herald/db';

type OutcomeStatus = 'queued' | 'sent' | 'suppressed' | 'failed' | 'bounced';

export interface Outcome {
  messageId: string;
  status: OutcomeStatus;
  event: string;
  reason?: string | null;
  detail?: Record<string, unknown> | null;
  smtpMessageId?: string | null;
}

/**
 * Moves claimed messages ("sending") to their next status and appends each one's event, in one
 * statement for the whole batch, so a status never changes without the event that explains it.
 * Answers, aligned with the input, whether each message was still claimed and so was moved.
 */
export async function recordOutcomes(
  db: Db,
  outcomes: Outcome[],
  { workerId }: { workerId: string },
): Promise<boolean[]> {
  if (outcomes.length === 0) return [];
  const moved = await db.$queryRaw<{ id: string }[]>(Prisma.sql`
    WITH v AS (
      SELECT * FROM unnest(
        ${outcomes.map((o) => o.messageId)}::uuid[],
        ${outcomes.map((o) => o.status)}::text[],
        ${outcomes.map((o) => o.event)}::text[],
        ${outcomes.map((o) => o.reason ?? null)}::text[],
        ${outcomes.map((o) => o.smtpMessageId ?? null)}::text[],
        ${outcomes.map((o) => (o.detail ? JSON.stringify(o.detail) : null))}::text[]
      ) AS v(id, status, event, reason, smtp_message_id, detail)),
    moved AS (
      UPDATE messages m
         SET status = v.status::"MessageStatus",
             reason = v.reason,
             smtp_message_id = COALESCE(v.smtp_message_id, m.smtp_message_id),
             sent_at = CASE WHEN v.status = 'sent' THEN now() ELSE m.sent_at END,
             claimed_at = NULL,
             claimed_by = NULL,
             updated_at = now()
        FROM v
       WHERE m.id = v.id AND m.status = 'sending' AND m.claimed_by = ${workerId}::uuid
   RETURNING m.id, v.event, v.detail)
    INSERT INTO message_events (message_id, type, detail)
    SELECT id, event, detail::jsonb FROM moved
    RETURNING message_id::text AS id`);
  const movedIds = new Set(moved.map((row) => row.id));
  return outcomes.map((o) => movedIds.has(o.messageId));
}

export interface Claim {
  messageId: string;
  contactId: string;
  templateId: string;
  categoryKey: string;
  class: 'transactional' | 'promotional';
  data: Record<string, unknown>;
  campaignId: string | null;
  /** The lease this claim was made under: the claim is this worker's only while that lease is its current one. */
  leaseId: string;
  /** The lease whose claim this one took over (its worker died or stalled, or it is this worker's own); null for a queued message. */
  previousClaimant: string | null;
}

/**
 * Claims messages for sending, in the name of `workerId` (its current lease in worker_leases, the
 * claim's fencing token). Only one claim can win, so a message is sent at most once even when its
 * job runs twice. A claim is taken over only from a worker whose lease is gone or lapsed (it died,
 * or stalled longer than its lease), never from a live one however old the claim: a live worker may
 * be in the middle of its SMTP transaction. This worker's own claim is taken again when no delivery
 * of it runs here (`busy` lists those that do): its job gave up (the database failed it) and the
 * claim could not be given back. A message due later (`send_after`) is not claimable yet. A claim
 * taken over names the lease that held it, whose sent marks say whether the SMTP server had already
 * accepted the message. Answers, aligned with the input, the claim or null.
 */
export async function claimMessages(
  db: Db,
  {
    messageIds,
    staleAfterMs,
    workerId,
    busy = [],
  }: { messageIds: string[]; staleAfterMs: number; workerId: string; busy?: string[] },
): Promise<(Claim | null)[]> {
  if (messageIds.length === 0) return [];
  const rows = await db.$queryRaw<
    {
      id: string;
      contact_id: string;
      template_id: string;
      category_key: string;
      class: 'transactional' | 'promotional';
      data: unknown;
      campaign_id: string | null;
      previous_claimant: string | null;
    }[]
  >(Prisma.sql`
    UPDATE messages m
       SET status = 'sending', claimed_at = now(), claimed_by = ${workerId}::uuid,
           attempts = m.attempts + 1, updated_at = now()
      FROM (SELECT id, claimed_by FROM messages WHERE id = ANY(${messageIds}::uuid[])) AS before
     WHERE m.id = before.id AND m.id = ANY(${messageIds}::uuid[])
       AND (m.send_after IS NULL OR m.send_after <= now() + interval '1 second')
       AND (m.status = 'queued'
            OR (m.status = 'sending'
                AND (NOT EXISTS (SELECT 1 FROM worker_leases l
                                  WHERE l.id = m.claimed_by AND l.expires_at > now())
                     OR (m.claimed_by = ${workerId}::uuid AND m.id <> ALL(${busy}::uuid[])))
                -- A claim without a holder predates leases: only its age can free it.
                AND (m.claimed_by IS NOT NULL
                     OR m.claimed_at < now() - make_interval(secs => ${staleAfterMs / 1000}))))
 RETURNING m.id::text, m.contact_id::text, m.template_id::text, m.category_key, m.class::text AS class,
           m.data, m.campaign_id::text, before.claimed_by::text AS previous_claimant`);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return messageIds.map((id) => {
    const row = byId.get(id);
    // The same message twice in one batch (its job ran twice at once): only the first gets the claim.
    byId.delete(id);
    return row
      ? {
          messageId: row.id,
          contactId: row.contact_id,
          templateId: row.template_id,
          categoryKey: row.category_key,
          class: row.class,
          data: (row.data ?? {}) as Record<string, unknown>,
          campaignId: row.campaign_id,
          leaseId: workerId,
          previousClaimant: row.previous_claimant,
        }
      : null;
  });
}
