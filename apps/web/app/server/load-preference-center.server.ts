import {
  getPreferences,
  isLinkRevoked,
  isPreferencesError,
  type Preferences,
  type VerifiedTokenPayload,
} from '@herald/preferences';
import { db } from './db.server';
import { maskAddress } from './mask-address.server';

export type PreferenceCenter = { maskedAddress: string; preferences: Preferences };

/**
 * The contact's state for the form, or null when the link reaches none: the contact is gone
 * (unknown or erased), or the link was revoked (POST /v1/contacts/:id/revoke-links), which may still
 * unsubscribe but never shows the preference center's details.
 */
export async function loadPreferenceCenter(
  contactId: string,
  /** The preference link the page was reached by; none on the signed-in account page. */
  link?: Pick<VerifiedTokenPayload, 'tokenEpoch'>,
): Promise<PreferenceCenter | null> {
  try {
    const [preferences, contact] = await Promise.all([
      getPreferences(db, { contactId }),
      db.contact.findUnique({ where: { id: contactId }, select: { email: true, tokenEpoch: true } }),
    ]);
    if (!contact || (link && isLinkRevoked(link, contact.tokenEpoch))) return null;
    return { maskedAddress: maskAddress(contact.email), preferences };
  } catch (error) {
    if (isPreferencesError(error) && ['unknown-contact', 'erased-contact'].includes(error.code)) return null;
    throw error;
  }
}
