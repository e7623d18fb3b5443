import { DEFAULT_LOCALE, type Locale } from './locales';

/**
 * The language a page is shown in. `tag` is the tag that chose it (a contact's "de-AT", a
 * browser's "fr-CA", or the locale itself), kept because category translations may be finer than
 * the page's catalogs; `timeZone` is the contact's where the page knows one, else UTC.
 */
export type PageLanguage = { locale: Locale; tag: string; timeZone: string };

export const ENGLISH: PageLanguage = { locale: DEFAULT_LOCALE, tag: DEFAULT_LOCALE, timeZone: 'UTC' };

/**
 * The language of the page from its route matches: the deepest loader that says one (a token page
 * or the account page, which know the contact) wins over the root's, which goes by the request
 * alone. Used by the layout and by each route's `meta`, so the title speaks the page's language.
 */
export function languageFromMatches(matches: ReadonlyArray<{ data?: unknown } | undefined>): PageLanguage {
  for (let index = matches.length - 1; index >= 0; index--) {
    const data = matches[index]?.data;
    if (data && typeof data === 'object' && 'language' in data) {
      const language = (data as { language?: PageLanguage }).language;
      if (language) return language;
    }
  }
  return ENGLISH;
}
