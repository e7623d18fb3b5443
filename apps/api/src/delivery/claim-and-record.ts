import { type Db, Prisma } from '@herald/db';
import { enforceCampaignGuardrails, type GuardrailSettings } from '../campaigns/campaign-guardrails.js';

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
 *
 * The same statement keeps the counters the campaign guardrails read (campaigns/campaign-guardrails.ts),
 * from the messages' campaign_id: a message refused for its address at send time (`bounced`) adds
 * to the campaign's `hard_bounces`; a refusal of the sender (`failed`, reason `blocked: …`) adds to
 * `blocked_run`, and a message the server accepted resets it (in the batch's order: the refusals
 * after the batch's last accepted message are the run). On the happy path nothing is written to the
 * campaign (the reset only touches a campaign whose run is above 0), so a campaign row is not a
 * point where every worker's outcome writes queue up. With `guardrails`, a campaign whose counters
 * this batch moved past a line (the blocked limit, or enough hard bounces for the bounce rate to
 * matter) is then checked, and paused if it crossed a guardrail.
 */
export async function recordOutcomes(
  db: Db,
  outcomes: Outcome[],
  { workerId, guardrails }: { workerId: string; guardrails?: GuardrailSettings },
): Promise<boolean[]> {
  if (outcomes.length === 0) return [];
  // Without settings the counters are still kept; only the check is left to the next write that has them.
  const blockedLimit = guardrails?.HERALD_GUARDRAIL_BLOCKED_LIMIT ?? 2_147_483_647;
  // As text to numeric, like the check itself (campaign-guardrails.ts).
  const bounceLine = guardrails
    ? String(guardrails.HERALD_GUARDRAIL_MIN_SENT * guardrails.HERALD_CAMPAIGN_MAX_BOUNCE_RATE)
    : '2147483647';
  const rows = await db.$queryRaw<
    { id: string | null; crossed: string | null }[]
  >(Prisma.sql`/* herald:named */
    WITH v AS (
      SELECT * FROM unnest(
        ${outcomes.map((o) => o.messageId)}::uuid[],
        ${outcomes.map((o) => o.status)}::text[],
        ${outcomes.map((o) => o.event)}::text[],
        ${outcomes.map((o) => o.reason ?? null)}::text[],
        ${outcomes.map((o) => o.smtpMessageId ?? null)}::text[],
        ${outcomes.map((o) => (o.detail ? JSON.stringify(o.detail) : null))}::text[]
      ) WITH ORDINALITY AS v(id, status, event, reason, smtp_message_id, detail, ord)),
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
       -- status as text: an indexable status test lets the planner AND the status index (every
       -- queued or sending message, and the dead entries of those just sent) with the ids' lookups.
       WHERE m.id = v.id AND m.status::text = 'sending' AND m.claimed_by = ${workerId}::uuid
   RETURNING m.id, m.campaign_id, v.status, v.reason, v.ord, v.event, v.detail),
    events AS (
      INSERT INTO message_events (message_id, type, detail)
      SELECT id, event, detail::jsonb FROM moved
      RETURNING message_id),
    campaign_outcomes AS (
      SELECT campaign_id, ord, status = 'bounced' AS bounced, status = 'sent' AS accepted,
             status = 'failed' AND reason LIKE 'blocked:%' AS blocked
        FROM moved WHERE campaign_id IS NOT NULL),
    tally AS (
      SELECT campaign_id,
             count(*) FILTER (WHERE bounced)::int AS bounced,
             bool_or(accepted) AS accepted,
             count(*) FILTER (WHERE blocked AND ord > last_accepted)::int AS blocked
        FROM (SELECT *, COALESCE(max(ord) FILTER (WHERE accepted) OVER (PARTITION BY campaign_id), 0)
                          AS last_accepted
                FROM campaign_outcomes) AS o
       GROUP BY campaign_id),
    counted AS (
      UPDATE campaigns c
         SET hard_bounces = c.hard_bounces + t.bounced,
             blocked_run = CASE WHEN t.accepted THEN t.blocked ELSE c.blocked_run + t.blocked END
        FROM tally t
       WHERE c.id = t.campaign_id AND (t.bounced > 0 OR t.blocked > 0 OR (t.accepted AND c.blocked_run > 0))
   RETURNING c.id, c.status, c.hard_bounces, c.blocked_run, t.bounced)
    SELECT message_id::text AS id, NULL::text AS crossed FROM events
    UNION ALL
    SELECT NULL, id::text FROM counted
     WHERE status IN ('scheduled', 'sending')
       AND (blocked_run >= ${blockedLimit}::int
            OR (bounced > 0 AND hard_bounces > ${bounceLine}::numeric))`);
  const movedIds = new Set(rows.flatMap((row) => (row.id ? [row.id] : [])));
  const crossed = rows.flatMap((row) => (row.crossed ? [row.crossed] : []));
  if (guardrails && crossed.length > 0) {
    // The outcomes are committed whatever happens here. Should the check fail, the counter stays
    // past its line, so the campaign's next refusal or bounce checks it again.
    await enforceCampaignGuardrails(db, guardrails, crossed).catch(() => []);
  }
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
  /** This claim's attempt, counting from 1 (the delivery log's). */
  attempt: number;
  /** When the message was enqueued (stored): the delivery log measures to the SMTP reply from it. */
  enqueuedAt: Date;
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
      attempts: number;
      created_at: Date;
    }[]
  >(Prisma.sql`/* herald:named */
    UPDATE messages m
       SET status = 'sending', claimed_at = now(), claimed_by = ${workerId}::uuid,
           attempts = m.attempts + 1, updated_at = now()
      FROM (SELECT id, claimed_by FROM messages WHERE id = ANY(${messageIds}::uuid[])) AS before
     WHERE m.id = before.id AND m.id = ANY(${messageIds}::uuid[])
       AND (m.send_after IS NULL OR m.send_after <= now() + interval '1 second')
       -- status as text, so the rows are found by id alone (see record above): the planner would
       -- otherwise AND in the status index, reading every queued message on each claim.
       AND (m.status::text = 'queued'
            OR (m.status::text = 'sending'
                AND (NOT EXISTS (SELECT 1 FROM worker_leases l
                                  WHERE l.id = m.claimed_by AND l.expires_at > now())
                     OR (m.claimed_by = ${workerId}::uuid AND m.id <> ALL(${busy}::uuid[])))
                -- A claim without a holder predates leases: only its age can free it.
                AND (m.claimed_by IS NOT NULL
                     OR m.claimed_at < now() - make_interval(secs => ${staleAfterMs / 1000}))))
 RETURNING m.id::text, m.contact_id::text, m.template_id::text, m.category_key, m.class::text AS class,
           m.data, m.campaign_id::text, before.claimed_by::text AS previous_claimant, m.attempts,
           m.created_at`);
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
          attempt: row.attempts,
          enqueuedAt: row.created_at,
        }
      : null;
  });
}
