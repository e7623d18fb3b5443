/**
 * The language of a template's default variant and of Herald's own texts: a translation is what a
 * reader of another language gets, and a reader of this one is never a fallback.
 */
export const DEFAULT_TEMPLATE_LOCALE = 'en';

/**
 * The locales to try for a reader, most specific first: "de-AT" gives ["de-AT", "de"],
 * "zh-Hant-TW" gives ["zh-Hant-TW", "zh-Hant", "zh"]. Tags are canonicalised ("de-at" → "de-AT");
 * a tag that is not BCP 47 gives nothing, so the caller falls back to its default.
 */
export function localeChain(locale: string | null | undefined): string[] {
  if (!locale) return [];
  let canonical: string;
  try {
    [canonical = ''] = Intl.getCanonicalLocales(locale);
  } catch {
    return [];
  }
  const parts = canonical.split('-');
  const chain: string[] = [];
  for (let length = parts.length; length >= 1; length--) {
    // A lone singleton ("x" of a private-use tag, "u" of an extension) is not a locale of its own.
    const candidate = parts.slice(0, length);
    if ((candidate.at(-1) ?? '').length === 1) continue;
    chain.push(candidate.join('-'));
  }
  return chain;
}

/** The primary language of a tag: "fr-CA" → "fr". */
export function languageOf(locale: string): string {
  return (localeChain(locale).at(-1) ?? locale).toLowerCase();
}

/**
 * The best of `available` for a reader of `locale`: the exact locale, else a shorter form of it
 * ("de-AT" → "de"), else null (the caller's default). Comparison ignores case.
 */
export function pickLocale(available: Iterable<string>, locale: string | null | undefined): string | null {
  const byLower = new Map<string, string>();
  for (const tag of available) byLower.set(tag.toLowerCase(), tag);
  for (const candidate of localeChain(locale)) {
    const found = byLower.get(candidate.toLowerCase());
    if (found) return found;
  }
  return null;
}

/** Scripts written right to left, by primary language. */
const RIGHT_TO_LEFT = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'sd', 'yi', 'dv', 'ug', 'ckb']);

export function directionOf(locale: string | null | undefined): 'ltr' | 'rtl' {
  return locale && RIGHT_TO_LEFT.has(languageOf(locale)) ? 'rtl' : 'ltr';
}
