import type { CommonEnv } from '@herald/config';
import { type Db, Prisma } from '@herald/db';

/** The settings the guardrails read (common to the API and the worker, so either can pause a campaign). */
export type GuardrailSettings = Pick<
  CommonEnv,
  | 'HERALD_GUARDRAIL_MIN_SENT'
  | 'HERALD_CAMPAIGN_MAX_COMPLAINT_RATE'
  | 'HERALD_CAMPAIGN_MAX_BOUNCE_RATE'
  | 'HERALD_GUARDRAIL_BLOCKED_LIMIT'
>;

export type GuardrailReason = 'complaint-rate' | 'bounce-rate' | 'blocked';

export interface GuardrailPause {
  campaignId: string;
  reason: GuardrailReason;
  /** Messages that had left when it paused (sent or bounced), at most as many as the check needed to count. */
  sent: number;
  complaints: number;
  hardBounces: number;
  blockedRun: number;
}

/**
 * Pauses each of these campaigns that is still scheduled or sending and has crossed a guardrail:
 * - `complaint-rate`: at least HERALD_GUARDRAIL_MIN_SENT messages have left and complaints per
 *   message that left exceed HERALD_CAMPAIGN_MAX_COMPLAINT_RATE;
 * - `bounce-rate`: the same with hard bounces and HERALD_CAMPAIGN_MAX_BOUNCE_RATE;
 * - `blocked`: the relay refused the sender (5.7.x) for HERALD_GUARDRAIL_BLOCKED_LIMIT messages in a
 *   row (`blocked_run`, kept by the send path's outcome write, delivery/claim-and-record.ts).
 * The denominator of both rates is the messages that left: `sent`, or `bounced` (refused for the
 * address at send time, or reported bounced later, when the message moves from sent to bounced).
 * Messages failed or suppressed never reached a mailbox provider and do not dilute the rates.
 *
 * The pause is the same state a person's pause makes (status `paused`, `paused_at`), plus
 * `paused_reason`, in ONE conditional UPDATE: two workers (or a worker and the API) meeting the same
 * threshold at once pause it once, and a campaign a person paused or cancelled meanwhile is left as
 * it is. The workers stop as they do for any pause: their cached state sees it within 250 ms, and
 * every message reads the campaign's status from the database after its send slot and before SMTP
 * (delivery/start-sending.ts), so nothing more starts. Unlike a person's pause it does not wait for
 * the sends in flight: nobody waits for an answer, and the caller may be the send path itself.
 *
 * It is called by the writes that move a counter: feedback/apply-feedback.ts for reports, the send
 * path's outcome write for refusals and bounces at send time. So the rates are judged on evidence:
 * at each complaint or hard bounce recorded once MIN_SENT messages have left (between two of them
 * the rates only fall). Rates already over a limit before MIN_SENT had left are judged at the first
 * report after; and after a person resumes a campaign a guardrail paused, the next complaint or
 * bounce that finds a rate still over its limit pauses it again, never the resume itself.
 *
 * Cheap enough to call after every batch of feedback: a campaign whose counters cannot cross any
 * line is not read further, and the count of messages that left stops at the number past which
 * neither rate could exceed its limit (min(sent, that bound) rows of the (campaign_id, status, id)
 * index), which for a healthy campaign is well below what it has sent.
 * Answers the campaigns it paused.
 */
export async function enforceCampaignGuardrails(
  db: Db,
  settings: GuardrailSettings,
  campaignIds: readonly (string | null | undefined)[],
): Promise<GuardrailPause[]> {
  const ids = [...new Set(campaignIds.filter((id): id is string => typeof id === 'string'))];
  if (ids.length === 0) return [];
  const minSent = settings.HERALD_GUARDRAIL_MIN_SENT;
  // As text to numeric: exact decimal arithmetic, so 3 complaints in 1,000 is not above 0.003.
  const maxComplaints = String(settings.HERALD_CAMPAIGN_MAX_COMPLAINT_RATE);
  const maxBounces = String(settings.HERALD_CAMPAIGN_MAX_BOUNCE_RATE);
  const blockedLimit = settings.HERALD_GUARDRAIL_BLOCKED_LIMIT;
  const rows = await db.$queryRaw<
    {
      id: string;
      reason: GuardrailReason;
      sent: number;
      complaints: number;
      hard_bounces: number;
      blocked_run: number;
    }[]
  >(Prisma.sql`
    WITH limits AS (
      SELECT ${maxComplaints}::numeric AS max_complaints, ${maxBounces}::numeric AS max_bounces),
    candidates AS (
      SELECT c.id, c.complaints, c.hard_bounces, c.blocked_run,
             -- Past this many messages that left neither rate can exceed its limit: count no further.
             GREATEST(${minSent}::int,
                      CASE WHEN l.max_complaints > 0 THEN floor(c.complaints / l.max_complaints)::int + 1 END,
                      CASE WHEN l.max_bounces > 0 THEN floor(c.hard_bounces / l.max_bounces)::int + 1 END)
               AS count_limit
        FROM campaigns c CROSS JOIN limits l
       WHERE c.id = ANY(${ids}::uuid[]) AND c.status IN ('scheduled', 'sending')
         AND (c.blocked_run >= ${blockedLimit}::int
              OR c.complaints > ${minSent}::int * l.max_complaints
              OR c.hard_bounces > ${minSent}::int * l.max_bounces)),
    measured AS (
      SELECT k.*, left_.n AS sent
        FROM candidates k
        CROSS JOIN LATERAL (
          SELECT count(*)::int AS n FROM (
            SELECT 1 FROM messages m
             WHERE m.campaign_id = k.id AND m.status IN ('sent', 'bounced')
             LIMIT k.count_limit) AS s) AS left_),
    decided AS (
      SELECT m.*,
             CASE WHEN m.sent >= ${minSent}::int AND m.complaints > m.sent * l.max_complaints
                    THEN 'complaint-rate'
                  WHEN m.sent >= ${minSent}::int AND m.hard_bounces > m.sent * l.max_bounces
                    THEN 'bounce-rate'
                  WHEN m.blocked_run >= ${blockedLimit}::int THEN 'blocked'
             END AS reason
        FROM measured m CROSS JOIN limits l)
    UPDATE campaigns c
       SET status = 'paused', paused_at = now(), paused_reason = d.reason, updated_at = now()
      FROM decided d
     WHERE c.id = d.id AND d.reason IS NOT NULL AND c.status IN ('scheduled', 'sending')
 RETURNING c.id::text, d.reason, d.sent, d.complaints, d.hard_bounces, d.blocked_run`);
  return rows.map((row) => ({
    campaignId: row.id,
    reason: row.reason,
    sent: row.sent,
    complaints: row.complaints,
    hardBounces: row.hard_bounces,
    blockedRun: row.blocked_run,
  }));
}
