import { IntlMessageFormat, type PrimitiveType } from 'intl-messageformat';
import { Children, type ReactNode } from 'react';
import { CATALOGS, type MessageKey } from './catalogs';
import { directionOf, INTL_LOCALE, type Locale } from './locales';
import type { PageLanguage } from './page-language';

export type MessageValues = Record<string, PrimitiveType>;

export interface Translator {
  locale: Locale;
  dir: 'ltr' | 'rtl';
  /** A message as plain text. */
  t(key: MessageKey, values?: MessageValues): string;
  /** A message with markup: each tag in it (`<strong>…</strong>`) is rendered by `tags`. */
  rich(
    key: MessageKey,
    values: MessageValues,
    tags: Record<string, (chunks: ReactNode[]) => ReactNode>,
  ): ReactNode;
  /** Names joined the language's way ("A, B, C"; "A、B、C"; "A، وB"). */
  list(items: string[]): string;
  /** A day, in the page's time zone: "1 March 2027", "1. März 2027". */
  date(iso: string): string;
  /** An instant with its time and zone named, in the page's time zone: "1 Mar 2027, 10:00 UTC". */
  instant(iso: string): string;
}

type Parsed = { format: IntlMessageFormat; selectors: ReadonlySet<string> };

// Parsed messages are kept per locale and key: parsing is the costly part, formatting is cheap.
const parsed = new Map<string, Parsed>();

function messageFormat(locale: Locale, key: MessageKey): Parsed {
  const id = `${locale}\u0000${key}`;
  let message = parsed.get(id);
  if (!message) {
    const format = new IntlMessageFormat(CATALOGS[locale][key], INTL_LOCALE[locale]);
    message = { format, selectors: selectArguments(format.getAst()) };
    parsed.set(id, message);
  }
  return message;
}

type MessageFormatElement = ReturnType<IntlMessageFormat['getAst']>[number];

// Element types of intl-messageformat's parser (@formatjs/icu-messageformat-parser's TYPE), read
// here by number rather than by importing the parser, which is intl-messageformat's own dependency.
const SELECT = 5;
const PLURAL = 6;
const TAG = 8;

/** The arguments a message chooses by (`{state, select, on {…} other {…}}`): values, not text. */
function selectArguments(elements: MessageFormatElement[], found = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type === SELECT) found.add(element.value);
    if (element.type === SELECT || element.type === PLURAL) {
      for (const option of Object.values(element.options)) selectArguments(option.value, found);
    }
    if (element.type === TAG) selectArguments(element.children, found);
  }
  return found;
}

// One translator per language and time zone (at most six times the zones Intl knows), made on
// first use: a page renders several times (layout, meta, components), and Intl's formatters are
// costly to build, so each is built once, and only if the page formats a date or a list.
const translators = new Map<string, Translator>();

/** Formats this page's messages, dates and lists in its language. */
export function createTranslator(language: PageLanguage): Translator {
  const id = `${language.locale}\u0000${language.timeZone}`;
  let translator = translators.get(id);
  if (!translator) {
    translator = buildTranslator(language);
    translators.set(id, translator);
  }
  return translator;
}

function buildTranslator({ locale, timeZone }: PageLanguage): Translator {
  const intlLocale = INTL_LOCALE[locale];
  const day = lazy(() => new Intl.DateTimeFormat(intlLocale, { dateStyle: 'long', timeZone }));
  const instant = lazy(
    () =>
      new Intl.DateTimeFormat(intlLocale, {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        timeZone,
        timeZoneName: 'short',
      }),
  );
  const list = lazy(() => new Intl.ListFormat(intlLocale, { type: 'unit', style: 'short' }));
  const dir = directionOf(locale);
  const prepare = (message: Parsed, values?: MessageValues) =>
    dir === 'rtl' ? isolate(values, message.selectors) : values;
  return {
    locale,
    dir,
    t: (key, values) => {
      const message = messageFormat(locale, key);
      return String(message.format.format(prepare(message, values)));
    },
    rich: (key, values, tags) => {
      const message = messageFormat(locale, key);
      const result = message.format.format<ReactNode>({ ...prepare(message, values), ...tags });
      // Children.toArray keys the pieces, so React can render the array without warnings.
      return Array.isArray(result) ? Children.toArray(result) : result;
    },
    list: (items) => list().format(items),
    date: (iso) => day().format(new Date(iso)),
    instant: (iso) => instant().format(new Date(iso)),
  };
}

/**
 * On a right-to-left page, each text put into a message (a category's name, an address, a policy's
 * title: often Latin script) is wrapped in Unicode's first-strong isolate (U+2068 … U+2069), the
 * plain-text <bdi>: its own direction then cannot reorder the Arabic around it ("«Newsletter»؟"
 * keeps its question mark at the end).
 */
function isolate(values: MessageValues | undefined, selectors: ReadonlySet<string>) {
  if (!values) return values;
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [
      name,
      typeof value === 'string' && !selectors.has(name) ? `\u2068${value}\u2069` : value,
    ]),
  );
}

function lazy<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}
