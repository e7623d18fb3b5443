import { z } from 'zod';
import {
  AttributesSchema,
  EmailSchema,
  IdSchema,
  KebabKeySchema,
  LocaleSchema,
  TimezoneSchema,
  ZonedDateTimeSchema,
} from './common.js';
import { TemplateDataSchema } from './template-data.js';

/**
 * Who a campaign goes to: the contacts subscribed to every listed category (the template's own
 * category is always one of them), optionally narrowed by locale ("en" matches en, en-GB, en-US…;
 * "fr-CA" only fr-CA) and by equality on contact attributes.
 */
export const AudienceSchema = z.strictObject({
  categories: z.array(KebabKeySchema).min(1).max(20).optional(),
  locales: z.array(LocaleSchema).min(1).max(50).optional(),
  attributes: AttributesSchema.optional(),
});
export type AudienceInput = z.output<typeof AudienceSchema>;

/** A UTM value: what analytics tools show, so plain words, digits and -_.+ only. */
const UtmValueSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._+-]+$/, 'only letters, digits and . _ + - are allowed');

export const CreateCampaignSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  template: KebabKeySchema,
  data: TemplateDataSchema.default({}),
  audience: AudienceSchema.default({}),
  /** Left out: the campaign is a draft, scheduled later with POST /v1/campaigns/:id/schedule. */
  sendAt: ZonedDateTimeSchema.optional(),
  timezone: TimezoneSchema.default('UTC'),
  /** Send at sendAt's wall-clock time in each contact's own time zone, within the 24 hours after sendAt. */
  localTime: z.boolean().default(false),
  ratePerSecond: z.number().int().min(1).max(100_000).optional(),
  /**
   * UTM parameters appended to every tracked link of the campaign's mail (a target that already has
   * one keeps its own). Only links that are tracked get them (docs/decisions/022-click-tracking.md).
   */
  utm: z
    .strictObject({ source: UtmValueSchema, medium: UtmValueSchema, campaign: UtmValueSchema })
    .partial()
    .refine((value) => Object.values(value).some(Boolean), { message: 'give source, medium or campaign' })
    .optional(),
});
export type CreateCampaignInput = z.output<typeof CreateCampaignSchema>;

export const ScheduleCampaignSchema = z.strictObject({
  sendAt: ZonedDateTimeSchema.optional(),
  timezone: TimezoneSchema.optional(),
  localTime: z.boolean().optional(),
});
export type ScheduleCampaignInput = z.output<typeof ScheduleCampaignSchema>;

export const AudiencePreviewSchema = z.strictObject({
  template: KebabKeySchema,
  audience: AudienceSchema.default({}),
});

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'sending', 'paused', 'sent', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const ListCampaignsSchema = z.strictObject({
  status: z.enum(CAMPAIGN_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** The id of the last campaign of the previous page. */
  after: IdSchema.optional(),
});

export const PreviewCampaignSchema = z.strictObject({
  /** Render as this contact would get it; sample recipient data when left out. */
  contactId: IdSchema.optional(),
});

export const TestSendSchema = z.strictObject({ email: EmailSchema });

export const ReportQuerySchema = z.strictObject({
  /** csv: the report as CSV (also at /v1/campaigns/{id}/report.csv). */
  format: z.enum(['json', 'csv']).default('json'),
});

export const TimelineSchema = z.strictObject({
  /** Seconds per point; chosen from the campaign's duration when left out. */
  bucket: z.coerce.number().int().min(1).max(86_400).optional(),
});

export interface CampaignCounts {
  targeted: number;
  /** Not finished yet: waiting, or being sent right now. */
  queued: number;
  sent: number;
  suppressed: number;
  failed: number;
  bounced: number;
  /** Contacts who unsubscribed (from a category or all marketing) through this campaign's mail. */
  unsubscribed: number;
  complained: number;
  suppressedByReason: Record<string, number>;
}

/** Why a campaign paused itself: the guardrail it crossed (HERALD_GUARDRAIL_* and HERALD_CAMPAIGN_MAX_* settings). */
export const CAMPAIGN_PAUSED_REASONS = ['complaint-rate', 'bounce-rate', 'blocked'] as const;
export type CampaignPausedReason = (typeof CAMPAIGN_PAUSED_REASONS)[number];

/**
 * What the guardrails read, and their limits. A campaign pauses itself once `sent` reaches
 * `minSent` and `complaintRate` exceeds `maxComplaintRate` or `bounceRate` exceeds `maxBounceRate`,
 * or when `blockedRun` reaches `blockedLimit`.
 */
export interface CampaignGuardrailsView {
  /** Messages that left: accepted by the relay (sent) or bounced. The denominator of both rates. */
  sent: number;
  /** Complaints about its messages (feedback loops, provider events), one per message. */
  complaints: number;
  /** Hard bounces of its messages, at send time or reported later, one per message. */
  hardBounces: number;
  /** complaints / sent; null while nothing has left. */
  complaintRate: number | null;
  /** hardBounces / sent; null while nothing has left. */
  bounceRate: number | null;
  /** Refusals of the sender (5.7.x) in a row at send time; an accepted message resets it. */
  blockedRun: number;
  limits: { minSent: number; maxComplaintRate: number; maxBounceRate: number; blockedLimit: number };
}

/** The audience as stored on the campaign: categories resolved, locales lower-cased. */
export interface StoredAudienceView {
  categories: string[];
  locales?: string[];
  attributes?: Record<string, string | number | boolean | null>;
}

export interface CampaignView {
  id: string;
  name: string;
  status: CampaignStatus;
  template: string;
  templateVersion: number;
  category: string;
  data: Record<string, unknown>;
  audience: StoredAudienceView;
  sendAt: string | null;
  timezone: string;
  localTime: boolean;
  ratePerSecond: number | null;
  /** UTM parameters its tracked links carry; null when none were given. */
  utm: { source?: string; medium?: string; campaign?: string } | null;
  counts: CampaignCounts | null;
  fanOut: { startedAt: string | null; completedAt: string | null };
  createdAt: string;
  pausedAt: string | null;
  /** Why it paused itself (a guardrail); null when it is not paused or a person paused it. */
  pausedReason: CampaignPausedReason | null;
  guardrails: CampaignGuardrailsView;
  cancelledAt: string | null;
  completedAt: string | null;
}

export interface TimelinePoint {
  at: string;
  sent: number;
  suppressed: number;
  failed: number;
  bounced: number;
}

/** Messages finished per interval, for the progress chart. */
export interface CampaignTimeline {
  bucketSeconds: number;
  points: TimelinePoint[];
}

/** How many contacts an audience reaches now: `size` of the `matching` ones; `excluded` by consent. */
export interface AudienceSize {
  audience: StoredAudienceView;
  size: number;
  matching: number;
  excluded: number;
}

/**
 * GET /v1/campaigns/{id}/report (docs/decisions/022-click-tracking.md). A unique human click is a
 * message (one recipient) with at least one click that no rule calls a machine's; machine clicks are
 * stored and shown, never counted as people. Rates are null while nothing was delivered.
 */
export interface CampaignReport {
  campaignId: string;
  generatedAt: string;
  /** Messages the relay accepted and that did not bounce since. */
  delivered: number;
  bounced: number;
  uniqueHumanClicks: number;
  /** uniqueHumanClicks / delivered. */
  clickRate: number | null;
  humanClicks: number;
  machineClicks: number;
  /** Machine clicks by the rule that caught them: user-agent, head, burst. */
  machineByReason: Record<string, number>;
  unsubscribes: number;
  unsubscribesPerThousand: number | null;
  complaints: number;
  complaintsPerThousand: number | null;
  topLinks: { url: string; uniqueHumanClicks: number; humanClicks: number; machineClicks: number }[];
  overTime: {
    bucketSeconds: number;
    points: { at: string; uniqueHumanClicks: number; humanClicks: number; machineClicks: number }[];
  };
  byLocale: { locale: string; delivered: number; uniqueHumanClicks: number; clickRate: number | null }[];
  /** The burst rule as applied: several links of one message within this many seconds of its delivery. */
  burstWindowSeconds: number;
}
