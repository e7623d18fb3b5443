import { z } from 'zod';
import { TimezoneSchema, ZonedDateTimeSchema } from './common.js';
import { dateTimeInstant } from './date-time-instant.js';

const WebUrlSchema = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000);

/** An operator's written reason for publishing a version with less notice than the rule asks. */
export const OverrideSchema = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(10, 'must explain why the notice period is shorter (at least 10 characters)')
    .max(2000),
});

/**
 * `effectiveAt` is read like a campaign's `sendAt`: with an offset it is that instant, without one
 * a wall-clock time in `timezone` (UTC when left out). The parsed input carries the instant.
 */
export const CreatePolicySchema = z
  .strictObject({
    version: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only, e.g. "2026-03"'),
    /** The policy-update template limits the title to 120 characters. */
    title: z.string().trim().min(1).max(120),
    /** What changes compared with the previous version, in plain words: the email quotes it. */
    summary: z.string().trim().min(1).max(2000),
    url: WebUrlSchema,
    effectiveAt: ZonedDateTimeSchema,
    timezone: TimezoneSchema.default('UTC'),
    override: OverrideSchema.optional(),
  })
  .transform((input, context) => {
    const effectiveAt = dateTimeInstant(input.effectiveAt, input.timezone);
    if (!effectiveAt) {
      context.addIssue({
        code: 'custom',
        path: ['effectiveAt'],
        message: `"${input.effectiveAt}" is not a valid date-time`,
      });
      return z.NEVER;
    }
    return { ...input, effectiveAt };
  });
export type CreatePolicyInput = z.output<typeof CreatePolicySchema>;

export const AnnouncePolicySchema = z.strictObject({
  /** Announcement emails per second across every worker; omitted: as fast as the workers send. */
  ratePerSecond: z.number().int().min(1).max(10_000).optional(),
  override: OverrideSchema.optional(),
});
export type AnnouncePolicyInput = z.output<typeof AnnouncePolicySchema>;

export const POLICY_STATUSES = ['draft', 'announced', 'effective'] as const;
export type PolicyStatus = (typeof POLICY_STATUSES)[number];

export const ListPoliciesSchema = z.strictObject({
  /** Comma-separated statuses, e.g. "announced,effective" for the public policy page. */
  status: z
    .string()
    .transform((value) => value.split(',').map((part) => part.trim()))
    .pipe(z.array(z.enum(POLICY_STATUSES)))
    .optional(),
});

export interface PolicyVersionView {
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
  /** The announced version in force before this one: `summary` says what changed since it. */
  previousVersion: { id: string; version: string; title: string; effectiveAt: string } | null;
  createdAt: string;
}

/** Who was notified of a version, how, and whether it is at risk of taking effect unannounced. */
export interface PolicyCoverage {
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
}
