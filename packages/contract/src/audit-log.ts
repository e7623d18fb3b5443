import { z } from 'zod';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A date ("2026-12-01", that day from 00:00 UTC) or an instant ("2026-12-01T09:30:00Z"). `end`: a
 * bare date then means the end of that day, so from=to=the same day is that whole day.
 */
export const BoundSchema = (end: boolean) =>
  z
    .string()
    .trim()
    .max(40)
    .transform((value, context): Date => {
      const day = DAY.test(value);
      const at = new Date(day ? `${value}T00:00:00Z` : value);
      if (Number.isNaN(at.getTime()) || (!day && !/[zZ]|[+-]\d{2}:?\d{2}$/.test(value))) {
        context.addIssue({
          code: 'custom',
          message: 'must be a date (2026-12-01) or a date-time with its offset (2026-12-01T09:30:00Z)',
        });
        return z.NEVER;
      }
      return day && end ? new Date(at.getTime() + 24 * 60 * 60 * 1000) : at;
    });

/** GET /v1/audit-log: newest first, filtered; `before` is the `next` of the previous page. */
export const ListAuditLogSchema = z
  .strictObject({
    /** Who: "admin:ada@example.com", "key:billing", "bootstrap-key"; or the start of one ("admin:"). */
    actor: z.string().trim().min(1).max(300).optional(),
    /** What: "campaign.scheduled", or a family ("campaign."). */
    action: z.string().trim().min(1).max(100).optional(),
    targetType: z.string().trim().min(1).max(50).optional(),
    targetId: z.string().trim().min(1).max(300).optional(),
    from: BoundSchema(false).optional(),
    to: BoundSchema(true).optional(),
    before: z
      .string()
      .regex(/^\d{1,18}$/, 'must be the `next` value of the previous page')
      .optional(),
    limit: z.coerce
      .number({ error: 'must be a number' })
      .int()
      .min(1)
      .max(500, 'must be at most 500')
      .default(50),
    /** csv: every matching row (no paging), as a download. */
    format: z.enum(['json', 'csv']).default('json'),
  })
  .refine((query) => !query.from || !query.to || query.from < query.to, {
    message: '"from" must be before "to"',
    path: ['from'],
  });
export type ListAuditLogInput = z.output<typeof ListAuditLogSchema>;

export interface AuditLogEntryView {
  id: string;
  occurredAt: string;
  actor: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  reason: string | null;
  details: unknown;
}

/** The columns of the CSV export, in order. */
export const AUDIT_LOG_CSV_COLUMNS = [
  'id',
  'occurredAt',
  'actor',
  'action',
  'targetType',
  'targetId',
  'reason',
  'details',
] as const;
