import { z } from 'zod';
import {
  AttributesSchema,
  EmailSchema,
  IdSchema,
  KebabKeySchema,
  LocaleSchema,
  TimezoneSchema,
} from './common.js';

/**
 * POST /v1/imports query: the categories to subscribe `subscribed` rows to (comma-separated keys),
 * the consent basis the company collected them under (kept as proof), and whether to only try.
 */
export const ImportQuerySchema = z
  .strictObject({
    categories: z
      .string()
      .max(2000)
      .optional()
      .transform((value) => [
        ...new Set(
          (value ?? '')
            .split(',')
            .map((key) => key.trim())
            .filter(Boolean),
        ),
      ])
      .pipe(z.array(KebabKeySchema).max(100)),
    basis: z
      .string({ error: 'is required: the consent basis, e.g. "double opt-in on example.com, 2019"' })
      .trim()
      .min(3, 'must say how the consent was collected (at least 3 characters)')
      .max(1000),
    dryRun: z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .default('false')
      .transform((value) => value === 'true'),
    /**
     * true: the request stages the rows and answers 202 at once; a worker applies them, and
     * GET /v1/imports/{id} shows the progress. Not with dryRun.
     */
    background: z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .default('false')
      .transform((value) => value === 'true'),
    /**
     * The file's own column names mapped to Herald's fields, as a JSON object: `{"E-mail": "email",
     * "Plan": "attr.plan", "Notes": ""}`; an empty field leaves the column out. Columns it does not
     * name keep their own names.
     */
    map: z
      .string()
      .max(20_000)
      .optional()
      .transform((value, context) => {
        if (value === undefined) return {};
        try {
          return JSON.parse(value) as unknown;
        } catch {
          context.addIssue({ code: 'custom', message: 'must be a JSON object of column names to fields' });
          return z.NEVER;
        }
      })
      .pipe(
        z.record(z.string().max(200), z.string().max(200), {
          error: 'must be a JSON object of column names to fields',
        }),
      ),
  })
  .refine((query) => !(query.background && query.dryRun), {
    message: 'a dry run answers at once: background=true and dryRun=true cannot go together',
    path: ['background'],
  });
export type ImportQueryInput = z.output<typeof ImportQuerySchema>;

export const IMPORT_STATUSES = ['subscribed', 'unsubscribed', 'suppressed'] as const;

/** One row of an import (a CSV line by its header, or an NDJSON object); empty fields are left out. */
export const ImportRowSchema = z.strictObject({
  email: EmailSchema,
  name: z.string().trim().min(1).max(200).optional(),
  externalId: z.string().min(1).max(200).optional(),
  locale: LocaleSchema.optional(),
  timezone: TimezoneSchema.optional(),
  status: z
    .enum(IMPORT_STATUSES, { error: 'must be subscribed, unsubscribed or suppressed' })
    .default('subscribed'),
  consentedAt: z
    .union([z.iso.datetime({ offset: true, local: true }), z.iso.date()], {
      error: 'must be an ISO 8601 date or date-time',
    })
    .optional(),
  source: z.string().max(1000).optional(),
  attributes: AttributesSchema.optional(),
});
export type ImportRow = z.output<typeof ImportRowSchema>;

export const ImportIdSchema = z.strictObject({ id: IdSchema });

/** What an import did (a dry run: would do). `errors` holds the first 100 bad rows. */
export interface ImportResult {
  id: string;
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  subscribed: number;
  unsubscribed: number;
  suppressed: number;
  keptUnsubscribed: number;
  unchanged: number;
  errors: { line: number; message: string }[];
  errorCount: number;
  /** The first rows of the file and what the import does (a dry run: would do) with each. */
  preview: ImportPreviewRow[];
}

export interface ImportPreviewRow {
  line: number;
  email: string | null;
  status: string | null;
  /** created, updated, subscribed, unsubscribed, suppressed, keptUnsubscribed, unchanged, or the error. */
  outcome: string;
}

export const IMPORT_STATES = ['queued', 'running', 'finished'] as const;
export type ImportState = (typeof IMPORT_STATES)[number];

/** An import as GET /v1/imports and GET /v1/imports/{id} show it, with a background import's progress. */
export interface ImportView {
  id: string;
  createdAt: string;
  actor: string;
  basis: string;
  categories: string[];
  status: ImportState;
  /** Rows read from the file (a background import: the valid rows it staged). */
  totalRows: number;
  processedRows: number;
  /** Seconds left at the rate so far, while running. */
  etaSeconds: number | null;
  counts: Omit<ImportResult, 'id' | 'dryRun' | 'errors' | 'preview'> | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export const ListImportsSchema = z.strictObject({
  limit: z.coerce.number({ error: 'must be a number' }).int().min(1).max(100).default(20),
});

/** GET /v1/imports/{id}/errors columns. */
export const IMPORT_ERRORS_CSV_COLUMNS = ['line', 'message'] as const;
