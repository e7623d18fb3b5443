import type { ConformanceReport } from '@herald/contract';
import { type Db, Prisma } from '@herald/db';
import { campaignCounts } from '../campaigns/campaign-stats.js';

/** The limits a campaign's rates are held to (the guardrails' own settings). */
export interface CampaignLimits {
  complaintRate: number;
  bounceRate: number;
  guardrailMinSent: number;
}

/**
 * Every campaign that was sending during the period (fan-out started before its end, not finished
 * before its start), with its complaint and bounce rates over the messages that left.
 */
export async function campaignConformance(
  db: Db,
  from: Date,
  to: Date,
  limits: CampaignLimits,
): Promise<ConformanceReport['campaigns']> {
  const campaigns = await db.$queryRaw<{ id: string; name: string; status: string }[]>(Prisma.sql`
    SELECT id::text, name, status::text
      FROM campaigns
     WHERE fanout_started_at IS NOT NULL AND fanout_started_at < ${to}
       AND coalesce(completed_at, cancelled_at, 'infinity') >= ${from}
     ORDER BY fanout_started_at, id`);
  const counts = await campaignCounts(
    db,
    campaigns.map((campaign) => campaign.id),
  );
  return campaigns.map((campaign) => {
    const figures = counts.get(campaign.id);
    const left = figures?.left ?? 0;
    const complaints = figures?.complained ?? 0;
    const bounces = figures?.bounced ?? 0;
    const complaintRate = left === 0 ? 0 : complaints / left;
    const bounceRate = left === 0 ? 0 : bounces / left;
    return {
      id: campaign.id,
      name: campaign.name,
      status: campaign.status,
      left,
      complaints,
      complaintRate,
      bounces,
      bounceRate,
      overComplaintLimit: complaintRate > limits.complaintRate,
      overBounceLimit: bounceRate > limits.bounceRate,
    };
  });
}
