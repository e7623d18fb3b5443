import { z } from 'zod';

const WebUrlSchema = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000);

/** An operator's written reason for publishing a version with less notice than the rule asks. */
export const OverrideSchema = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(10, 'must explain why the notice period is shorter (at least 10 characters)')
    .max(2000),
});

export const CreatePolicySchema = z.strictObject({
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
  effectiveAt: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2026-03-01T00:00:00Z' })
    .transform((value) => new Date(value)),
  override: OverrideSchema.optional(),
});
export type CreatePolicyInput = z.output<typeof CreatePolicySchema>;

export const AnnouncePolicySchema = z.strictObject({
  /** Announcement emails per second across every worker; omitted: as fast as the workers send. */
  ratePerSecond: z.number().int().min(1).max(10_000).optional(),
  override: OverrideSchema.optional(),
});
export type AnnouncePolicyInput = z.output<typeof AnnouncePolicySchema>;

export const POLICY_STATUSES = ['draft', 'announced', 'effective'] as const;

export const ListPoliciesSchema = z.strictObject({
  /** Comma-separated statuses, e.g. "announced,effective" for the public policy page. */
  status: z
    .string()
    .transform((value) => value.split(',').map((part) => part.trim()))
    .pipe(z.array(z.enum(POLICY_STATUSES)))
    .optional(),
});
