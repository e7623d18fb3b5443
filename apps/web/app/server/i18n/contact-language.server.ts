import { db } from '../db.server';
import type { ContactLanguage } from './choose-language.server';

/**
 * The stored locale and time zone of a contact, for pages that know the contact only by id (a
 * confirmation link, the account session); null for an unknown or erased contact.
 */
export async function readContactLanguage(contactId: string): Promise<ContactLanguage | null> {
  const contact = await db.contact.findUnique({
    where: { id: contactId },
    select: { locale: true, timezone: true, erasedAt: true },
  });
  return contact && !contact.erasedAt ? { locale: contact.locale, timezone: contact.timezone } : null;
}
