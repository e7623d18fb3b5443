import type { ConsentSource } from '@herald/db';
import { z } from 'zod';

/** Consent sources as the consent log spells them (docs/architecture.md, "The consent log"). */
export const ConsentSourceValueSchema = z.enum([
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
  'subscribe-form',
]);
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
  'subscribe-form': 'subscribe_form',
} as const satisfies Record<ConsentSourceValue, ConsentSource>;

export function toPrismaConsentSource(source: ConsentSourceValue): ConsentSource {
  return PRISMA_NAMES[source];
}
