import { describe, expect, it } from 'vitest';
import { fallbackChain, matchAcceptLanguage, matchLocale } from '../app/i18n/match-locale.js';
import { localizeCategory } from '../app/server/i18n/localize-category.server.js';

/** The pure parts of choosing a page's language (docs/decisions/021-page-translations.md). */
describe('matching a language tag to the pages’ languages', () => {
  it('falls back from a region or script to the language, and refuses what it does not speak', () => {
    expect(matchLocale('de-AT')).toBe('de');
    expect(matchLocale('DE-at')).toBe('de');
    expect(matchLocale('ja-JP-u-ca-japanese')).toBe('ja');
    expect(matchLocale('ar-EG')).toBe('ar');
    expect(matchLocale('sw')).toBeNull();
    expect(matchLocale('pt-BR')).toBeNull();
    expect(matchLocale('not a tag')).toBeNull();
    expect(matchLocale('')).toBeNull();
    expect(fallbackChain('zh-Hant-TW')).toEqual(['zh-hant-tw', 'zh-hant', 'zh']);
  });

  it('reads Accept-Language by weight, skipping q=0, * and languages not offered', () => {
    expect(matchAcceptLanguage('fr-CA,fr;q=0.9')).toEqual({ locale: 'fr', tag: 'fr-CA' });
    expect(matchAcceptLanguage('sw,de;q=0.5,es;q=0.8')).toEqual({ locale: 'es', tag: 'es' });
    expect(matchAcceptLanguage('de;q=0, ja;q=0.1')).toEqual({ locale: 'ja', tag: 'ja' });
    expect(matchAcceptLanguage('*')).toBeNull();
    expect(matchAcceptLanguage('sw, pt-BR;q=0.9')).toBeNull();
    expect(matchAcceptLanguage(null)).toBeNull();
  });
});

describe('a category in the page’s language', () => {
  const category = {
    name: 'Newsletter',
    description: 'A monthly round-up.',
    translations: {
      de: { name: 'Rundbrief', description: 'Einmal im Monat das Neueste.' },
      'de-AT': { name: 'Aussendung' },
      fr: { name: 'Lettre d’information' },
    },
  };
  const page = (locale: 'de' | 'fr' | 'en' | 'ja', tag: string) => ({ locale, tag, timeZone: 'UTC' });

  it('tries the chosen tag, then shorter tags, then the category’s own text, name and description apart', () => {
    expect(localizeCategory(category, page('de', 'de-AT'))).toEqual({
      name: 'Aussendung',
      description: 'Einmal im Monat das Neueste.',
    });
    expect(localizeCategory(category, page('de', 'de-CH'))).toEqual({
      name: 'Rundbrief',
      description: 'Einmal im Monat das Neueste.',
    });
    expect(localizeCategory(category, page('fr', 'fr-CA'))).toEqual({
      name: 'Lettre d’information',
      description: 'A monthly round-up.',
    });
    expect(localizeCategory(category, page('ja', 'ja'))).toEqual({
      name: 'Newsletter',
      description: 'A monthly round-up.',
    });
  });

  it('passes over a stored value of another shape', () => {
    for (const translations of [null, [], 'de', { de: 'Rundbrief' }, { de: { name: 3 } }]) {
      expect(localizeCategory({ ...category, translations }, page('de', 'de')).name).toBe('Newsletter');
    }
  });
});
