import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { CATALOGS } from '../app/i18n/catalogs.js';
import { LOCALES, INTL_LOCALE } from '../app/i18n/locales.js';
import { createTranslator } from '../app/i18n/translator.js';
import ar from '../app/i18n/messages/ar.json';
import de from '../app/i18n/messages/de.json';
import en from '../app/i18n/messages/en.json';
import es from '../app/i18n/messages/es.json';
import fr from '../app/i18n/messages/fr.json';
import ja from '../app/i18n/messages/ja.json';

/**
 * The catalogs themselves (docs/decisions/021-page-translations.md): each has exactly the English
 * keys, each message parses as ICU MessageFormat in its language and formats, and each uses the
 * arguments and tags the English message does (a renamed `{name}` would print nothing).
 */
const FILES: Record<string, Record<string, string>> = { en, de, fr, es, ja, ar };

type Element = {
  type: number;
  value?: string;
  options?: Record<string, { value: Element[] }>;
  children?: Element[];
};

// @formatjs/icu-messageformat-parser's element types.
const ARGUMENT = 1;
const NUMBER = 2;
const DATE = 3;
const TIME = 4;
const SELECT = 5;
const PLURAL = 6;
const TAG = 8;

/** Every argument and tag a message uses, with its kind: "name:argument", "minutes:plural", "strong:tag". */
function placeholders(elements: Element[], found = new Set<string>()): Set<string> {
  for (const element of elements) {
    const kind = { [ARGUMENT]: 'argument', [NUMBER]: 'number', [DATE]: 'date', [TIME]: 'time' }[element.type];
    if (kind) found.add(`${element.value}:${kind}`);
    if (element.type === SELECT || element.type === PLURAL) {
      found.add(`${element.value}:${element.type === SELECT ? 'select' : 'plural'}`);
      for (const option of Object.values(element.options ?? {})) placeholders(option.value, found);
    }
    if (element.type === TAG) {
      found.add(`${element.value}:tag`);
      placeholders(element.children ?? [], found);
    }
  }
  return found;
}

/** Values that exercise a message: plurals get several counts, selects their every option. */
function sampleValues(elements: Element[], count: number): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const placeholder of placeholders(elements)) {
    const [name = '', kind] = placeholder.split(':');
    values[name] =
      kind === 'plural' || kind === 'number'
        ? count
        : kind === 'date' || kind === 'time'
          ? new Date('2027-03-01T10:00:00Z')
          : kind === 'tag'
            ? (chunks: unknown[]) => chunks.join('')
            : kind === 'select'
              ? 'other'
              : 'Sample';
  }
  return values;
}

describe('message catalogs', () => {
  it('are the six the pages offer', () => {
    expect(Object.keys(FILES).sort()).toEqual([...LOCALES].sort());
    expect(Object.keys(CATALOGS).sort()).toEqual([...LOCALES].sort());
  });

  it.each(LOCALES.filter((locale) => locale !== 'en'))('%s has exactly the keys of en', (locale) => {
    const catalog = FILES[locale] ?? {};
    const missing = Object.keys(en).filter((key) => !(key in catalog));
    const extra = Object.keys(catalog).filter((key) => !(key in en));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  it.each(LOCALES)('every %s message parses, formats, and uses the English placeholders', (locale) => {
    for (const [key, message] of Object.entries(FILES[locale] ?? {})) {
      let format: IntlMessageFormat;
      try {
        format = new IntlMessageFormat(message, INTL_LOCALE[locale]);
      } catch (error) {
        throw new Error(`${locale} ${key} does not parse: ${(error as Error).message}`);
      }
      const ast = format.getAst() as Element[];
      const english = new IntlMessageFormat(en[key as keyof typeof en], 'en').getAst() as Element[];
      expect([...placeholders(ast)].sort(), `${locale} ${key}`).toEqual([...placeholders(english)].sort());
      for (const count of [0, 1, 2, 3, 11, 100]) {
        const text = format.format(sampleValues(ast, count) as never);
        expect(typeof text === 'string' ? text : String(text), `${locale} ${key}`).not.toBe('');
      }
    }
  });

  it.each(LOCALES.filter((locale) => locale !== 'en'))(
    '%s is a translation, not a copy of English',
    (locale) => {
      const catalog = FILES[locale] ?? {};
      const same = Object.keys(en).filter((key) => catalog[key] === en[key as keyof typeof en]);
      // A few messages may read the same ("{title}, version {version}" in French): no more than 3.
      expect(same.length, `${locale} repeats English for ${same.join(', ')}`).toBeLessThanOrEqual(3);
    },
  );

  it('carries the "don\'t track my clicks" preference\'s words in every language', () => {
    expect(en['preferences.noTracking.label']).toBe('Don’t track my clicks');
    expect(en['preferences.noTracking.hint']).toBe(
      'Links in our emails will take you straight to where they point, without passing through us.',
    );
    for (const locale of LOCALES.filter((one) => one !== 'en')) {
      const catalog = FILES[locale] ?? {};
      expect(catalog['preferences.noTracking.label'], locale).not.toBe(en['preferences.noTracking.label']);
      expect(catalog['preferences.noTracking.hint'], locale).not.toBe(en['preferences.noTracking.hint']);
    }
  });
});

describe('formatting in the page’s language', () => {
  it('dates in the language and the contact’s time zone', () => {
    const evening = '2027-03-01T20:30:00Z';
    expect(createTranslator({ locale: 'en', tag: 'en', timeZone: 'UTC' }).date(evening)).toBe('1 March 2027');
    expect(createTranslator({ locale: 'de', tag: 'de', timeZone: 'Asia/Tokyo' }).date(evening)).toBe(
      '2. März 2027',
    );
    expect(createTranslator({ locale: 'ja', tag: 'ja', timeZone: 'Asia/Tokyo' }).date(evening)).toBe(
      '2027年3月2日',
    );
    expect(createTranslator({ locale: 'en', tag: 'en', timeZone: 'UTC' }).instant(evening)).toBe(
      '1 Mar 2027, 20:30 UTC',
    );
  });

  it('plurals by the language’s rules', () => {
    const minutes = (locale: 'en' | 'ar', count: number) =>
      createTranslator({ locale, tag: locale, timeZone: 'UTC' }).t('signIn.unusable.body', {
        minutes: count,
      });
    expect(minutes('en', 1)).toContain('after 1 minute.');
    expect(minutes('en', 15)).toContain('after 15 minutes.');
    expect(minutes('ar', 2)).toContain('بعد دقيقتين.');
    expect(minutes('ar', 5)).toContain('بعد 5 دقائق.');
  });

  it('isolates inserted text on right-to-left pages only, and never a select’s choice', () => {
    const values = { label: 'Newsletter', state: 'on' };
    expect(
      createTranslator({ locale: 'ar', tag: 'ar', timeZone: 'UTC' }).t('preferences.saved.change', values),
    ).toBe('\u2068Newsletter\u2069: مفعّل');
    expect(
      createTranslator({ locale: 'en', tag: 'en', timeZone: 'UTC' }).t('preferences.saved.change', values),
    ).toBe('Newsletter: on');
  });
});
