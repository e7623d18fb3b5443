import { getPreferences, isPreferencesError, type Preferences } from '@herald/preferences';
import { db } from './db.server';
import { maskAddress } from './mask-address.server';

export type PreferenceCenter = { maskedAddress: string; preferences: Preferences };

/** The contact's state for the form, or null when the contact is gone (unknown or erased). */
export async function loadPreferenceCenter(contactId: string): Promise<PreferenceCenter | null> {
  try {
    const [preferences, contact] = await Promise.all([
      getPreferences(db, { contactId }),
      db.contact.findUnique({ where: { id: contactId }, select: { email: true } }),
    ]);
    return { maskedAddress: maskAddress(contact?.email ?? null), preferences };
  } catch (error) {
    if (isPreferencesError(error) && ['unknown-contact', 'erased-contact'].includes(error.code)) return null;
    throw error;
  }
}
