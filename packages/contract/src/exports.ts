import { z } from 'zod';
import { BoundSchema } from './audit-log.js';

/** GET /v1/exports/consent-log: the entries written in [from, to), the proof an auditor asks for. */
export const ExportConsentLogSchema = z
  .strictObject({
    from: BoundSchema(false),
    to: BoundSchema(true),
  })
  .refine((query) => query.from < query.to, { message: '"from" must be before "to"', path: ['from'] });
export type ExportConsentLogInput = z.output<typeof ExportConsentLogSchema>;

/** GET /v1/exports/contacts takes no parameters: every contact that is not erased. */
export const ExportContactsSchema = z.strictObject({});

/** The consent-log export's columns, in order. */
export const CONSENT_LOG_CSV_COLUMNS = [
  'id',
  'occurredAt',
  'contactId',
  'category',
  'action',
  'source',
  'actor',
  'reason',
  'messageId',
  'campaignId',
  'userAgent',
  'ipHash',
] as const;

/**
 * The contacts export's fixed columns; one column per category follows (`category:{key}`, yes or
 * no: whether the contact receives it now), then `suppressed` (the reasons, `;`-separated).
 */
export const CONTACTS_CSV_COLUMNS = [
  'id',
  'email',
  'name',
  'externalId',
  'locale',
  'timezone',
  'createdAt',
  'allPromotional',
] as const;
