import { isLocale, type Locale } from '../../i18n/locales';
import { isHttps } from '../env.server';

/** The language switch's memory: only a supported locale's name, nothing about the person. */
export const LANGUAGE_COOKIE = 'herald_lang';

const YEAR_SECONDS = 365 * 24 * 60 * 60;

/**
 * What choosing a language reads of a request: its URL (`?lang=`) and headers (the cookie,
 * Accept-Language). A Fetch Request is one; server.js's Express handlers make one without it.
 */
export type LanguageRequest = { url: string; headers: { get(name: string): string | null } };

/** The language the person picked: the switch's `?lang=` on this request, else the cookie it left. */
export function chosenLanguage(request: LanguageRequest): Locale | null {
  return languageInQuery(request) ?? languageInCookie(request);
}

/**
 * The Set-Cookie that remembers a `?lang=` choice, or null when the request makes none. The
 * switch is a plain link, so the choice arrives on a GET; SameSite=Lax keeps it off cross-site
 * posts (the one-click route never reads it anyway).
 */
export function rememberLanguage(request: Request): string | null {
  const locale = languageInQuery(request);
  if (!locale) return null;
  return [
    `${LANGUAGE_COOKIE}=${locale}`,
    'Path=/',
    `Max-Age=${YEAR_SECONDS}`,
    'SameSite=Lax',
    'HttpOnly',
    ...(isHttps ? ['Secure'] : []),
  ].join('; ');
}

function languageInQuery(request: Pick<LanguageRequest, 'url'>): Locale | null {
  const value = new URL(request.url).searchParams.get('lang');
  return isLocale(value) ? value : null;
}

function languageInCookie(request: Pick<LanguageRequest, 'headers'>): Locale | null {
  for (const pair of (request.headers.get('Cookie') ?? '').split(';')) {
    const [name, value] = pair.trim().split('=');
    if (name === LANGUAGE_COOKIE && isLocale(value)) return value;
  }
  return null;
}
