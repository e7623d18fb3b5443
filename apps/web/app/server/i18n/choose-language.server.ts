import { matchAcceptLanguage, matchLocale } from '../../i18n/match-locale';
import type { PageLanguage } from '../../i18n/page-language';
import { DEFAULT_LOCALE } from '../../i18n/locales';
import { chosenLanguage, type LanguageRequest } from './language-cookie.server';

export type { LanguageRequest };
import { usableTimeZone } from './usable-time-zone.server';

/** What a page knows of its contact: their stored locale and time zone (contacts.locale, .timezone). */
export type ContactLanguage = { locale: string; timezone: string };

/**
 * The language a recipient page speaks, first match wins:
 * 1. the person's own choice on the language switch (`?lang=`, then the cookie it leaves);
 * 2. the contact's stored locale, where the page knows the contact ("de-AT" gives German);
 * 3. the browser's Accept-Language, by weight ("fr-CA,fr;q=0.9" gives French);
 * 4. English.
 * A contact's time zone is used for dates whichever language wins: it is where they read the page.
 */
export function chooseLanguage(request: LanguageRequest, contact?: ContactLanguage | null): PageLanguage {
  const timeZone = usableTimeZone(contact?.timezone);
  const chosen = chosenLanguage(request);
  if (chosen) return { locale: chosen, tag: chosen, timeZone };
  const stored = matchLocale(contact?.locale);
  if (stored && contact) return { locale: stored, tag: contact.locale, timeZone };
  const accepted = matchAcceptLanguage(request.headers.get('Accept-Language'));
  if (accepted) return { ...accepted, timeZone };
  return { locale: DEFAULT_LOCALE, tag: DEFAULT_LOCALE, timeZone };
}
