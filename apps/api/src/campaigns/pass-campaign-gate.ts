import type { CampaignGate, CampaignUtm } from './campaign-gate.js';

type GateResult =
  | { outcome: 'send'; data: Record<string, unknown>; utm: CampaignUtm | null }
  | { outcome: 'suppressed'; reason: string }
  | { outcome: 'parked'; reason: string };

/** A cancelled campaign sends nothing more; a paused one keeps its messages queued for the resume. */
export async function passCampaignGate(
  campaigns: CampaignGate,
  campaignId: string,
  rateAcquired: boolean,
): Promise<GateResult> {
  let waited = rateAcquired;
  for (;;) {
    const campaign = await campaigns.state(campaignId);
    if (!campaign || campaign.status === 'cancelled')
      return { outcome: 'suppressed', reason: 'campaign-cancelled' };
    if (campaign.status !== 'sending' && campaign.status !== 'sent') {
      return { outcome: 'parked', reason: `campaign-${campaign.status}` };
    }
    if (waited || campaign.ratePerSecond === null) {
      return { outcome: 'send', data: campaign.data, utm: campaign.utm ?? null };
    }
    // After a wait for the rate the loop looks at the campaign's state again before sending.
    waited = (await campaigns.acquire(campaignId, campaign.ratePerSecond, 1)) > 0;
  }
}
