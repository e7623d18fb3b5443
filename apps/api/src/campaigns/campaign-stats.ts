import type { CampaignCounts } from '@herald/contract';
import { type Db, Prisma } from '@herald/db';

/** The counts, and the messages that left (sent or bounced by status): the guardrails' denominator. */
export type CampaignFigures = CampaignCounts & { left: number };

const emptyCounts = (): CampaignFigures => ({
  targeted: 0,
  queued: 0,
  sent: 0,
  suppressed: 0,
  failed: 0,
  bounced: 0,
  unsubscribed: 0,
  complained: 0,
  suppressedByReason: {},
  left: 0,
});

/**
 * Counts for many campaigns in three grouped queries (messages by status over the (campaign_id,
 * status, id) index; the consent log by campaign). Bounces include those reported after the SMTP
 * server accepted a message (a bounce suppression recorded later against it), each message once.
 */
export async function campaignCounts(db: Db, campaignIds: string[]): Promise<Map<string, CampaignFigures>> {
  const counts = new Map(campaignIds.map((id) => [id, emptyCounts()]));
  if (campaignIds.length === 0) return counts;
  const byStatus = await db.$queryRaw<
    { campaign_id: string; status: string; reason: string | null; n: number }[]
  >(
    Prisma.sql`
    SELECT campaign_id::text, status::text, CASE WHEN status = 'suppressed' THEN reason END AS reason,
           count(*)::int AS n
      FROM messages WHERE campaign_id = ANY(${campaignIds}::uuid[])
     GROUP BY 1, 2, 3`,
  );
  for (const row of byStatus) {
    const c = counts.get(row.campaign_id);
    if (!c) continue;
    c.targeted += row.n;
    if (row.status === 'queued' || row.status === 'sending') c.queued += row.n;
    else if (row.status === 'sent' || row.status === 'failed' || row.status === 'bounced')
      c[row.status] += row.n;
    if (row.status === 'sent' || row.status === 'bounced') c.left += row.n;
    else if (row.status === 'suppressed') {
      c.suppressed += row.n;
      const reason = row.reason ?? 'unknown';
      c.suppressedByReason[reason] = (c.suppressedByReason[reason] ?? 0) + row.n;
    }
  }
  const consent = await db.$queryRaw<
    { campaign_id: string; unsubscribed: number; complained: number; late_bounces: number }[]
  >(Prisma.sql`
    SELECT l.campaign_id::text,
           count(DISTINCT l.contact_id) FILTER (WHERE l.action = 'unsubscribe')::int AS unsubscribed,
           count(DISTINCT l.contact_id) FILTER (WHERE l.source = 'complaint')::int AS complained,
           count(DISTINCT l.message_id) FILTER (
             WHERE l.source = 'bounce' AND NOT EXISTS (
               SELECT 1 FROM messages m WHERE m.id = l.message_id AND m.status = 'bounced'))::int AS late_bounces
      FROM consent_log l WHERE l.campaign_id = ANY(${campaignIds}::uuid[])
     GROUP BY 1`);
  for (const row of consent) {
    const c = counts.get(row.campaign_id);
    if (!c) continue;
    c.unsubscribed = row.unsubscribed;
    c.complained = row.complained;
    c.bounced += row.late_bounces;
  }
  return counts;
}
