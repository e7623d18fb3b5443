import { readApiAs, type ConsoleCaller } from '../api-client.server';
import type {
  CampaignView as Campaign,
  CampaignCounts,
  CampaignGuardrailsView,
  CampaignPausedReason,
  CampaignStatus,
  CampaignTimeline as Timeline,
} from '@herald/contract';

export type CampaignProgress = {
  status: CampaignStatus;
  counts: CampaignCounts | null;
  timeline: Timeline;
  /** Why it paused itself, with the guardrails' figures: the notice shows as soon as it happens. */
  pausedReason: CampaignPausedReason | null;
  guardrails: CampaignGuardrailsView;
};

/**
 * What the progress panel draws: status, counts, messages over time, and a guardrail's pause (the
 * live script polls this).
 */
export async function loadCampaignProgress(
  caller: ConsoleCaller,
  id: string,
): Promise<CampaignProgress & { campaign: Campaign }> {
  const path = `/v1/campaigns/${encodeURIComponent(id)}`;
  const [campaign, timeline] = await Promise.all([
    readApiAs<Campaign>(caller, path),
    readApiAs<Timeline>(caller, `${path}/timeline`),
  ]);
  return {
    campaign,
    status: campaign.status,
    counts: campaign.counts,
    timeline,
    pausedReason: campaign.pausedReason,
    guardrails: campaign.guardrails,
  };
}
