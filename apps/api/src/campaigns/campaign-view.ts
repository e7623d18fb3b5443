import type { CampaignCounts, CampaignView, StoredAudienceView } from '@herald/contract';
import type { Campaign } from '@herald/db';

export type CampaignWithTemplate = Campaign & { template: { key: string; version: number } };

export function toCampaignView(
  campaign: CampaignWithTemplate,
  counts: CampaignCounts | undefined,
): CampaignView {
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    id: campaign.id,
    name: campaign.name,
    status: campaign.status,
    template: campaign.template.key,
    templateVersion: campaign.template.version,
    category: campaign.categoryKey,
    // Both were validated by the contract's schemas before they were stored.
    data: campaign.data as Record<string, unknown>,
    audience: campaign.audience as unknown as StoredAudienceView,
    sendAt: iso(campaign.sendAt),
    timezone: campaign.timezone,
    localTime: campaign.localTime,
    ratePerSecond: campaign.ratePerSecond,
    counts: counts ?? null,
    fanOut: {
      startedAt: iso(campaign.fanoutStartedAt),
      completedAt: iso(campaign.fanoutDoneAt),
    },
    createdAt: campaign.createdAt.toISOString(),
    pausedAt: iso(campaign.pausedAt),
    cancelledAt: iso(campaign.cancelledAt),
    completedAt: iso(campaign.completedAt),
  };
}
