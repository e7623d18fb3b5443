import type { Campaign } from '@herald/db';
import type { CampaignCounts } from './campaign-stats.js';

export type CampaignWithTemplate = Campaign & { template: { key: string; version: number } };

export function toCampaignView(campaign: CampaignWithTemplate, counts: CampaignCounts | undefined) {
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    id: campaign.id,
    name: campaign.name,
    status: campaign.status,
    template: campaign.template.key,
    templateVersion: campaign.template.version,
    category: campaign.categoryKey,
    data: campaign.data,
    audience: campaign.audience,
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
