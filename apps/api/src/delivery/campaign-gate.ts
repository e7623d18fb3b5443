/** A campaign as the send path sees it at send time. */
export interface CampaignSendState {
  status: 'draft' | 'scheduled' | 'sending' | 'paused' | 'sent' | 'cancelled';
  /** The campaign's template data, shared by every recipient. */
  data: Record<string, unknown>;
  ratePerSecond: number | null;
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

/** This worker's lease: a worker that cannot renew it must stop sending, since others may take its claims over. */
export interface WorkerLeaseHolder {
  readonly workerId: string;
  isHeld(): boolean;
  /**
   * Notes, outside the database and at once, that the SMTP server accepted a message this worker
   * claimed: if the worker dies before recording it, the message is recorded as sent, not sent again.
   */
  markSent(messageId: string): void;
}

/** Injection tokens: the worker's campaign and scheduler code provides both. */
export const CAMPAIGN_GATE = Symbol('CAMPAIGN_GATE');
export const WORKER_LEASE = Symbol('WORKER_LEASE');
