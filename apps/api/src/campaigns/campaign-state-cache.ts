import type { Db } from '@herald/db';
import type { CampaignSendState, CampaignUtm } from './campaign-gate.js';

/** Pause and cancel must take effect within a second: a worker looks again at most this often. */
const CAMPAIGN_STATE_TTL_MS = 250;

/**
 * A campaign's status, data and rate as the workers' send path reads them, at most one query per
 * campaign per 250 ms per worker whatever the number of messages; callers asking at the same time
 * share the query.
 */
export function createCampaignStateCache(db: Db, ttlMs = CAMPAIGN_STATE_TTL_MS) {
  const entries = new Map<string, { at: number; state: Promise<CampaignSendState | null> }>();

  const load = async (campaignId: string): Promise<CampaignSendState | null> => {
    const campaign = await db.campaign.findUnique({
      where: { id: campaignId },
      select: { status: true, data: true, ratePerSecond: true, utm: true },
    });
    if (!campaign) return null;
    return {
      status: campaign.status,
      data: (campaign.data ?? {}) as Record<string, unknown>,
      ratePerSecond: campaign.ratePerSecond,
      utm: (campaign.utm ?? null) as CampaignUtm | null,
    };
  };

  return (campaignId: string): Promise<CampaignSendState | null> => {
    const now = Date.now();
    const cached = entries.get(campaignId);
    if (cached && now - cached.at < ttlMs) return cached.state;
    if (entries.size > 1000) entries.clear();
    const state = load(campaignId);
    entries.set(campaignId, { at: now, state });
    // A failed read is not kept: the next caller asks again.
    state.catch(() => entries.get(campaignId)?.state === state && entries.delete(campaignId));
    return state;
  };
}
