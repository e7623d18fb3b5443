import type { ConsentSource } from '@herald/db';
import { z } from 'zod';

/** Consent sources as DESIGN.md and the database spell them. */
export const CONSENT_SOURCES = [
  'one-click',
  'unsubscribe-page',
  'preference-center',
  'account-page',
  'mailto',
  'admin',
  'api',
  'bounce',
  'complaint',
  'import',
] as const;

export const ConsentSourceValueSchema = z.enum(CONSENT_SOURCES);
export type ConsentSourceValue = z.infer<typeof ConsentSourceValueSchema>;

// Prisma names enum members with identifiers (one_click) and maps them to the database's
// spelling (one-click); the domain speaks the database's.
const PRISMA_NAMES = {
  'one-click': 'one_click',
  'unsubscribe-page': 'unsubscribe_page',
  'preference-center': 'preference_center',
  'account-page': 'account_page',
  mailto: 'mailto',
  admin: 'admin',
  api: 'api',
  bounce: 'bounce',
  complaint: 'complaint',
  import: 'import',
} as const satisfies Record<ConsentSourceValue, ConsentSource>;

export function toPrismaConsentSource(source: ConsentSourceValue): ConsentSource {
  return PRISMA_NAMES[source];
}

export function fromPrismaConsentSource(source: ConsentSource): ConsentSourceValue {
  return source.replace(/_/g, '-') as ConsentSourceValue;
}
