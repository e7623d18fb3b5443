/**
 * The shapes of the API answers the console reads (apps/api: campaign-view.ts, campaign-stats.ts,
 * campaign-timeline.ts, policy-view.ts, get-policy-coverage.ts, notice-view.ts, template-view.ts).
 * Types only: the API is the one that validates; the console shows what it answers.
 */
export type CampaignStatus = 'draft' | 'scheduled' | 'sending' | 'paused' | 'sent' | 'cancelled';

export type CampaignCounts = {
  targeted: number;
  queued: number;
  sent: number;
  suppressed: number;
  failed: number;
  bounced: number;
  unsubscribed: number;
  complained: number;
  suppressedByReason: Record<string, number>;
};

export type Audience = {
  categories: string[];
  locales?: string[];
  attributes?: Record<string, string | number | boolean | null>;
};

export type Campaign = {
  id: string;
  name: string;
  status: CampaignStatus;
  template: string;
  templateVersion: number;
  category: string;
  data: Record<string, unknown>;
  audience: Audience;
  sendAt: string | null;
  timezone: string;
  localTime: boolean;
  ratePerSecond: number | null;
  counts: CampaignCounts | null;
  fanOut: { startedAt: string | null; completedAt: string | null };
  createdAt: string;
  pausedAt: string | null;
  cancelledAt: string | null;
  completedAt: string | null;
};

export type TimelinePoint = { at: string; sent: number; suppressed: number; failed: number; bounced: number };
export type Timeline = { bucketSeconds: number; points: TimelinePoint[] };

export type AudienceSize = { audience: Audience; size: number; matching: number; excluded: number };

export type RenderedEmail = { subject: string; html: string; text: string };

export type Template = {
  key: string;
  category: string;
  class: 'transactional' | 'promotional';
  required: boolean;
  version: number;
  subject: string;
  variables: unknown;
  fixture: unknown;
};

export type Category = {
  key: string;
  name: string;
  description: string;
  class: 'transactional' | 'promotional';
};

export type PolicyStatus = 'draft' | 'announced' | 'effective';

export type PolicyVersion = {
  id: string;
  version: string;
  title: string;
  summary: string;
  url: string;
  effectiveAt: string;
  status: PolicyStatus;
  announcedAt: string | null;
  ratePerSecond: number | null;
  requiredNoticeDays: number;
  override: { reason: string } | null;
  atRiskSince: string | null;
  previousVersion: { id: string; version: string; title: string; effectiveAt: string } | null;
  createdAt: string;
};

export type PolicyCoverage = {
  policyId: string;
  version: string;
  status: PolicyStatus;
  effectiveAt: string;
  announcedAt: string | null;
  contacts: number;
  noticed: number;
  awaitingNotice: number;
  emailed: number;
  delivered: number;
  deliveredBeforeEffective: number;
  pending: number;
  failed: number;
  bounced: number;
  bouncedOrFailed: number;
  noAddress: number;
  inAppOnly: number;
  acknowledged: number;
  reachable: number;
  undeliveredReachable: number;
  notifiedBeforeEffective: boolean;
  deadlinePassed: boolean;
  atRisk: boolean;
  atRiskFrom: string;
  atRiskSince: string | null;
  fanOutDone: boolean;
};

export type Notice = {
  id: string;
  policy: { id: string; version: string; title: string; summary: string; url: string; effectiveAt: string };
  postedAt: string;
  acknowledged: boolean;
};
