import {
  getPreferences,
  isLinkRevoked,
  isPreferencesError,
  type Preferences,
  type VerifiedTokenPayload,
} from '@herald/preferences';
import type { PageLanguage } from '~/i18n/page-language';
import { db } from './db.server';
import { chooseLanguage } from './i18n/choose-language.server';
import { localizeCategory } from './i18n/localize-category.server';
import { maskAddress } from './mask-address.server';

/** The preference center's content, its category names and descriptions in the page's language. */
export type PreferenceCenter = { maskedAddress: string; preferences: Preferences; language: PageLanguage };

/**
 * The contact's state for the form, or null when the link reaches none: the contact is gone
 * (unknown or erased), or the link was revoked (POST /v1/contacts/:id/revoke-links), which may still
 * unsubscribe but never shows the preference center's details.
 */
export async function loadPreferenceCenter(
  contactId: string,
  request: Request,
  /** The preference link the page was reached by; none on the signed-in account page. */
  link?: Pick<VerifiedTokenPayload, 'tokenEpoch'>,
): Promise<PreferenceCenter | null> {
  try {
    const [preferences, contact, translations] = await Promise.all([
      getPreferences(db, { contactId }),
      db.contact.findUnique({
        where: { id: contactId },
        select: { email: true, tokenEpoch: true, locale: true, timezone: true },
      }),
      db.category.findMany({ select: { key: true, translations: true } }),
    ]);
    if (!contact || (link && isLinkRevoked(link, contact.tokenEpoch))) return null;
    const language = chooseLanguage(request, contact);
    const translated = new Map(translations.map((category) => [category.key, category.translations]));
    return {
      maskedAddress: maskAddress(contact.email),
      preferences: {
        ...preferences,
        categories: preferences.categories.map((category) => ({
          ...category,
          ...localizeCategory({ ...category, translations: translated.get(category.key) }, language),
        })),
      },
      language,
    };
  } catch (error) {
    if (isPreferencesError(error) && ['unknown-contact', 'erased-contact'].includes(error.code)) return null;
    throw error;
  }
}
