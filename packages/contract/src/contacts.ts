import { z } from 'zod';
import { AttributesSchema, EmailSchema, KebabKeySchema, LocaleSchema, TimezoneSchema } from './common.js';

const ContactFields = {
  name: z.string().trim().min(1).max(200).nullable().optional(),
  locale: LocaleSchema.optional(),
  timezone: TimezoneSchema.optional(),
  externalId: z.string().min(1).max(200).nullable().optional(),
  attributes: AttributesSchema.optional(),
};

export const UpsertContactSchema = z
  .strictObject({ email: EmailSchema.optional(), ...ContactFields })
  .refine((value) => value.email !== undefined || (value.externalId ?? undefined) !== undefined, {
    message: 'email or externalId is required',
    path: ['email'],
  });
export type UpsertContactInput = z.output<typeof UpsertContactSchema>;

export const UpdateContactSchema = z.strictObject({ email: EmailSchema.optional(), ...ContactFields });
export type UpdateContactInput = z.output<typeof UpdateContactSchema>;

export const UpdatePreferencesSchema = z
  .strictObject({
    changes: z
      .array(z.strictObject({ category: KebabKeySchema, subscribed: z.boolean() }))
      .max(100)
      .default([]),
    allPromotional: z.boolean().optional(),
    /** true: "don't track my clicks" (docs/decisions/022-click-tracking.md); false takes it back. */
    clickTrackingOff: z.boolean().optional(),
    reason: z.string().trim().min(3, 'must say why the change was made (at least 3 characters)').max(1000),
    actor: z.string().trim().min(1).max(200).optional(),
  })
  .refine(
    (value) =>
      value.changes.length > 0 || value.allPromotional !== undefined || value.clickTrackingOff !== undefined,
    {
      message: 'nothing to change: give changes, allPromotional or clickTrackingOff',
      path: ['changes'],
    },
  );

export interface ContactView {
  id: string;
  email: string | null;
  name: string | null;
  locale: string;
  timezone: string;
  externalId: string | null;
  attributes: unknown;
  erased: boolean;
  createdAt: string;
  updatedAt: string;
}

// ── The support console: search and export ──────────────────────────────────────────────────

const SEARCH_CURSOR = /^(\d{1,15})_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** `next` from the previous page of a contact search (the time and id of its last row, as encodeCursor writes it). */
const ContactCursorSchema = z
  .string()
  .max(100)
  .transform((value, context): { at: Date; id: string } => {
    const match = SEARCH_CURSOR.exec(value.toLowerCase());
    if (!match) {
      context.addIssue({ code: 'custom', message: 'must be the `next` value of the previous page' });
      return z.NEVER;
    }
    return { at: new Date(Number(match[1])), id: match[2] as string };
  });

/**
 * GET /v1/contacts: `q` is the start of an address (compared lower-cased), a whole external id, or
 * the start of a name (case-insensitive); left out or empty, every contact. Newest first.
 */
export const SearchContactsSchema = z.strictObject({
  q: z
    .string()
    .trim()
    .max(254, 'must be at most 254 characters')
    .optional()
    .transform((value) => value || undefined),
  cursor: ContactCursorSchema.optional(),
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int()
    .min(1)
    .max(200, 'must be at most 200')
    .default(50),
});
export type SearchContactsInput = z.output<typeof SearchContactsSchema>;

/** One row of a contact search. An erased contact has no address, name or external id: `erasedAt` says so. */
export interface ContactSummary {
  id: string;
  email: string | null;
  name: string | null;
  externalId: string | null;
  locale: string;
  createdAt: string;
  erasedAt: string | null;
}

export interface ContactSearchResult {
  contacts: ContactSummary[];
  /** The cursor of the next page; null on the last one. */
  next: string | null;
}

/**
 * GET /v1/contacts/{id}/export: everything Herald holds about one contact (GDPR Art. 15), as JSON.
 * Secrets that are Herald's own (sign-in token hashes) are left out; their existence is not.
 */
export interface ContactExport {
  exportedAt: string;
  contact: {
    id: string;
    email: string | null;
    name: string | null;
    locale: string;
    timezone: string;
    externalId: string | null;
    attributes: unknown;
    promotionalOptOut: boolean;
    promotionalDefaults: boolean;
    createdAt: string;
    updatedAt: string;
  };
  /** The effective choice per category, as the preference center shows it. */
  preferences: {
    allPromotional: { subscribed: boolean };
    categories: { key: string; name: string; class: string; required: boolean; subscribed: boolean }[];
  };
  /** The explicit preference rows behind it. */
  preferenceRows: { category: string; subscribed: boolean; updatedAt: string }[];
  consentLog: {
    id: string;
    category: string | null;
    /** The category, or "all-promotional" for the all-promotional switch. */
    scope: string;
    action: string;
    source: string;
    occurredAt: string;
    messageId: string | null;
    campaignId: string | null;
    actor: string | null;
    reason: string | null;
    userAgent: string | null;
    ipHash: string | null;
  }[];
  /** Suppressions of the contact's address (by its hash) or linked to the contact. */
  suppressions: {
    id: string;
    addressHash: string;
    reason: string;
    detail: string | null;
    createdAt: string;
  }[];
  messages: {
    id: string;
    template: string;
    category: string;
    class: string;
    status: string;
    reason: string | null;
    campaignId: string | null;
    data: unknown;
    attempts: number;
    smtpMessageId: string | null;
    createdAt: string;
    sentAt: string | null;
    events: { id: string; type: string; detail: unknown; occurredAt: string }[];
  }[];
  notices: {
    id: string;
    policyVersionId: string;
    policyVersion: string;
    messageId: string | null;
    emailAttempts: number;
    acknowledgedAt: string | null;
    createdAt: string;
  }[];
  feedbackReports: {
    id: string;
    receivedAt: string;
    channel: string;
    kind: string;
    status: string | null;
    detail: string | null;
    messageId: string | null;
    effect: string;
  }[];
  /** Sign-in links mailed to the contact (their token hashes are not part of the export). */
  signInLinks: { id: string; createdAt: string; expiresAt: string; usedAt: string | null }[];
}
