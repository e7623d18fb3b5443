import { z } from 'zod';
import { EmailSchema, type MessageClass } from './common.js';

/** Why an address is on the suppression list (docs/architecture.md, "The delivery decision"). */
export const SUPPRESSION_REASONS = [
  'hard-bounce',
  'complaint',
  'soft-bounce-limit',
  'manual',
  'erasure',
] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** What a person or a program may add by hand; soft-bounce-limit and erasure are Herald's own. */
export const ADDABLE_SUPPRESSION_REASONS = ['manual', 'hard-bounce', 'complaint'] as const;

const CURSOR = /^(\d{1,15})_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** A position in a list ordered newest first: the time and id of the last row of the previous page. */
export interface KeysetPosition {
  at: Date;
  id: string;
}

export const encodeCursor = ({ at, id }: KeysetPosition): string => `${at.getTime()}_${id}`;

/** `next` from the previous page, as the API gave it. */
const CursorSchema = z
  .string()
  .max(100)
  .transform((value, context): KeysetPosition => {
    const match = CURSOR.exec(value.toLowerCase());
    if (!match) {
      context.addIssue({ code: 'custom', message: 'must be the `next` value of the previous page' });
      return z.NEVER;
    }
    return { at: new Date(Number(match[1])), id: match[2] as string };
  });

const LimitSchema = (max: number, fallback: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int()
    .min(1)
    .max(max, `must be at most ${max}`)
    .default(fallback);

export const ListSuppressionsSchema = z.strictObject({
  reason: z.enum(SUPPRESSION_REASONS).optional(),
  /**
   * An address (exact match through its hash, whether or not a contact holds it), or the start of
   * a contact's address ("ada@", "ada"): the list keeps hashes, so a partial match goes through the
   * contacts that hold an address now.
   */
  q: z.string().trim().toLowerCase().min(1).max(254).optional(),
  cursor: CursorSchema.optional(),
  limit: LimitSchema(200, 50),
});
export type ListSuppressionsInput = z.output<typeof ListSuppressionsSchema>;

/** Who made a change by hand: with an actor the consent log says `admin` (a person), else `api`. */
const ActorSchema = z.string().trim().min(1).max(200);

export const AddSuppressionSchema = z.strictObject({
  email: EmailSchema,
  reason: z.enum(ADDABLE_SUPPRESSION_REASONS, {
    error: `must be one of ${ADDABLE_SUPPRESSION_REASONS.join(', ')}`,
  }),
  /** Why, in a few words: kept beside the suppression. */
  detail: z.string().trim().min(1).max(500).optional(),
  actor: ActorSchema.optional(),
});
export type AddSuppressionInput = z.output<typeof AddSuppressionSchema>;

/** DELETE /v1/suppressions/{address}: in the body or the query string. */
export const RemoveSuppressionSchema = z.strictObject({
  /** Why the address may be mailed again, written by the person lifting it: the consent log keeps it. */
  reason: z
    .string({ error: 'is required: say why the address may be mailed again' })
    .trim()
    .min(3, 'must say why the address may be mailed again (at least 3 characters)')
    .max(1000),
  /** Lift only this suppression; every one the address has (erasure aside) when left out. */
  only: z.enum(SUPPRESSION_REASONS).optional(),
  actor: ActorSchema.optional(),
});
export type RemoveSuppressionInput = z.output<typeof RemoveSuppressionSchema>;

export const SuppressionAddressSchema = z.strictObject({ address: EmailSchema });

export interface SuppressionView {
  id: string;
  /** The address, when known: the one searched for, or its contact's while the contact still holds it. */
  email: string | null;
  /** SHA-256 of the normalized address: the list's key, kept after the address itself is gone. */
  addressHash: string;
  reason: SuppressionReason;
  contactId: string | null;
  detail: string | null;
  createdAt: string;
}

export interface SuppressionList {
  suppressions: SuppressionView[];
  /** The cursor of the next page; null on the last one. */
  next: string | null;
}

export interface RemovedSuppressions {
  email: string;
  removed: Exclude<SuppressionReason, 'erasure'>[];
  /** Suppressions that stay: an erasure is never lifted here. */
  kept: 'erasure'[];
}

// ── Reports and rates, for the console's suppression page ─────────────────────────────────────

export const FEEDBACK_KINDS = [
  'hard-bounce',
  'soft-bounce',
  'blocked',
  'complaint',
  'delivery',
  'unparsed',
] as const;

export const ListFeedbackReportsSchema = z.strictObject({
  kind: z.enum(FEEDBACK_KINDS).optional(),
  cursor: CursorSchema.optional(),
  limit: LimitSchema(200, 50),
});
export type ListFeedbackReportsInput = z.output<typeof ListFeedbackReportsSchema>;

export interface FeedbackReportEntry {
  id: string;
  receivedAt: string;
  /** inbound-smtp | ses | sendgrid | postmark | mailgun | api */
  channel: string;
  kind: string;
  status: string | null;
  detail: string | null;
  matched: boolean;
  /** What it changed: suppressed | soft-bounce-counted | soft-bounce-limit | bounced | recorded | none */
  effect: string;
  messageId: string | null;
  campaignId: string | null;
  /** The campaign's name, when the message belongs to one. */
  campaignName: string | null;
  contactId: string | null;
  /** The stream of the message: transactional or promotional. */
  class: MessageClass | null;
}

export interface FeedbackReportList {
  reports: FeedbackReportEntry[];
  next: string | null;
}

export const RATE_BUCKETS = ['hour', 'day'] as const;
export type RateBucket = (typeof RATE_BUCKETS)[number];
const MAX_BUCKETS = { hour: 24 * 31, day: 400 } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

const InstantSchema = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 instant such as "2026-12-01T00:00:00Z"' })
  .transform((value) => new Date(value));

/**
 * The window of the rate chart: the last 7 days when left out. The bucket follows the window
 * (hours up to 3 days, days beyond) unless given; at most 744 hours or 400 days.
 */
export const FeedbackRatesQuerySchema = z.strictObject({
  from: InstantSchema.optional(),
  to: InstantSchema.optional(),
  bucket: z.enum(RATE_BUCKETS).optional(),
});

/** The query above with its defaults settled: the window and the bucket the answer uses. */
export const FeedbackRatesSchema = FeedbackRatesQuerySchema.transform((input, context) => {
  const to = input.to ?? new Date();
  const from = input.from ?? new Date(to.getTime() - 7 * DAY_MS);
  if (from.getTime() >= to.getTime()) {
    context.addIssue({ code: 'custom', path: ['from'], message: 'must be before `to`' });
    return z.NEVER;
  }
  const bucket: RateBucket = input.bucket ?? (to.getTime() - from.getTime() <= 3 * DAY_MS ? 'hour' : 'day');
  const size = bucket === 'hour' ? DAY_MS / 24 : DAY_MS;
  if ((to.getTime() - from.getTime()) / size > MAX_BUCKETS[bucket]) {
    context.addIssue({
      code: 'custom',
      path: ['from'],
      message: `the window holds more than ${MAX_BUCKETS[bucket]} ${bucket}s: narrow it or use a larger bucket`,
    });
    return z.NEVER;
  }
  return { from, to, bucket };
});
export type FeedbackRatesInput = z.output<typeof FeedbackRatesSchema>;

export interface RatePoint {
  /** The start of the bucket (UTC). */
  at: string;
  /** Messages accepted by the relay in the bucket (messages.sent_at). */
  sent: number;
  /** Messages refused for their address at send time or reported hard-bounced, once per message. */
  hardBounces: number;
  /** Messages complained about, once per message. */
  complaints: number;
  /** hardBounces / sent; null when nothing was sent. */
  bounceRate: number | null;
  complaintRate: number | null;
}

export interface RateSeries {
  totals: Omit<RatePoint, 'at'>;
  points: RatePoint[];
}

export interface FeedbackRates {
  from: string;
  to: string;
  bucket: RateBucket;
  streams: Record<MessageClass, RateSeries>;
  /** The campaigns that sent most in the window (at most 10), each with its own series. */
  campaigns: (RateSeries & { id: string; name: string })[];
}
