import type {
  CampaignCounts,
  CampaignPausedReason,
  CampaignView,
  StoredAudienceView,
} from '@herald/contract';
import type { Campaign } from '@herald/db';
import type { GuardrailSettings } from './campaign-guardrails.js';
import type { CampaignFigures } from './campaign-stats.js';

export type CampaignWithTemplate = Campaign & { template: { key: string; version: number } };

/**
 * A campaign as the API answers it: its settings, counts, and what the guardrails read with their
 * limits (`settings`, the API's), so the console can say why a campaign paused itself.
 */
export function toCampaignView(
  campaign: CampaignWithTemplate,
  figures: CampaignFigures | undefined,
  settings: GuardrailSettings,
): CampaignView {
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  const sent = figures?.left ?? 0;
  const rate = (n: number) => (sent > 0 ? n / sent : null);
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
    // Validated by the contract's schema before it was stored.
    utm: (campaign.utm ?? null) as CampaignView['utm'],
    counts: figures ? withoutLeft(figures) : null,
    fanOut: {
      startedAt: iso(campaign.fanoutStartedAt),
      completedAt: iso(campaign.fanoutDoneAt),
    },
    createdAt: campaign.createdAt.toISOString(),
    pausedAt: iso(campaign.pausedAt),
    // Written only by campaign-guardrails.ts, with one of the contract's reasons.
    pausedReason: campaign.pausedReason as CampaignPausedReason | null,
    guardrails: {
      sent,
      complaints: campaign.complaints,
      hardBounces: campaign.hardBounces,
      complaintRate: rate(campaign.complaints),
      bounceRate: rate(campaign.hardBounces),
      blockedRun: campaign.blockedRun,
      limits: {
        minSent: settings.HERALD_GUARDRAIL_MIN_SENT,
        maxComplaintRate: settings.HERALD_CAMPAIGN_MAX_COMPLAINT_RATE,
        maxBounceRate: settings.HERALD_CAMPAIGN_MAX_BOUNCE_RATE,
        blockedLimit: settings.HERALD_GUARDRAIL_BLOCKED_LIMIT,
      },
    },
    cancelledAt: iso(campaign.cancelledAt),
    completedAt: iso(campaign.completedAt),
  };
}

function withoutLeft({ left, ...counts }: CampaignFigures): CampaignCounts {
  void left;
  return counts;
}
