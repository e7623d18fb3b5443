/**
 * The languages the recipient pages speak. English is the default and the source language: every
 * other catalog has exactly its keys (test/page-translations.test.ts).
 */
export const LOCALES = ['en', 'de', 'fr', 'es', 'ja', 'ar'] as const;

export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = 'en';

/** Each language named in itself, for the language switch: a reader looks for their own word. */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
  ja: '日本語',
  ar: 'العربية',
};

/** Languages written right to left; `<html dir>` follows, and the stylesheet uses logical properties. */
const RIGHT_TO_LEFT: ReadonlySet<Locale> = new Set(['ar']);

export const directionOf = (locale: Locale): 'ltr' | 'rtl' => (RIGHT_TO_LEFT.has(locale) ? 'rtl' : 'ltr');

/**
 * The locale Intl formats dates, numbers and lists with. English pages keep the British forms they
 * always had ("1 March 2027", "1 Mar 2027, 10:00 UTC"), which read the same everywhere.
 */
export const INTL_LOCALE: Record<Locale, string> = {
  en: 'en-GB',
  de: 'de',
  fr: 'fr',
  es: 'es',
  ja: 'ja',
  ar: 'ar',
};

export const isLocale = (value: unknown): value is Locale =>
  typeof value === 'string' && (LOCALES as readonly string[]).includes(value);

/**
 * Languages that continue in lower case after a colon, where a category's description follows its
 * name ("Newsletter emails: a monthly round-up"). German capitalises nouns, and Japanese and
 * Arabic have no case, so their descriptions are shown as written.
 */
const LOWER_CASE_AFTER_COLON: ReadonlySet<Locale> = new Set(['en', 'fr', 'es']);

export const continueAfterColon = (locale: Locale, text: string): string =>
  LOWER_CASE_AFTER_COLON.has(locale) ? text.charAt(0).toLocaleLowerCase(locale) + text.slice(1) : text;
