/** A campaign as the send path sees it at send time. */
export interface CampaignSendState {
  status: 'draft' | 'scheduled' | 'sending' | 'paused' | 'sent' | 'cancelled';
  /** The campaign's template data, shared by every recipient. */
  data: Record<string, unknown>;
  ratePerSecond: number | null;
  /** UTM parameters appended to the campaign's tracked links (docs/decisions/022-click-tracking.md). */
  utm?: CampaignUtm | null;
}

export interface CampaignUtm {
  source?: string;
  medium?: string;
  campaign?: string;
}

/**
 * What the send path asks about a campaign message before it goes out: the campaign's state (cached
 * for at most ~250 ms, so pause and cancel take effect within a second) and its rate, which holds
 * across every worker because the bucket lives in Redis.
 */
export interface CampaignGate {
  state(campaignId: string): Promise<CampaignSendState | null>;
  /**
   * Takes up to `wanted` sends from the campaign's rate; answers how many may go now. When none may,
   * it first waits (at most ~250 ms, so callers look at the campaign's state again) and answers 0.
   */
  acquire(campaignId: string, ratePerSecond: number, wanted: number): Promise<number>;
}

/** Injection token: the worker's campaign module provides the gate. */
export const CAMPAIGN_GATE = Symbol('CAMPAIGN_GATE');
