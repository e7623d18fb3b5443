import { readApi } from '../api-client.server';
import type {
  CampaignView as Campaign,
  CampaignCounts,
  CampaignStatus,
  CampaignTimeline as Timeline,
} from '@herald/contract';

export type CampaignProgress = { status: CampaignStatus; counts: CampaignCounts | null; timeline: Timeline };

/** What the progress panel draws: status, counts and messages over time (the live script polls this). */
export async function loadCampaignProgress(id: string): Promise<CampaignProgress & { campaign: Campaign }> {
  const path = `/v1/campaigns/${encodeURIComponent(id)}`;
  const [campaign, timeline] = await Promise.all([
    readApi<Campaign>(path),
    readApi<Timeline>(`${path}/timeline`),
  ]);
  return { campaign, status: campaign.status, counts: campaign.counts, timeline };
}
