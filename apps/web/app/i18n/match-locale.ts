import { isLocale, type Locale } from './locales';

/**
 * The page language for one BCP 47 tag, by RFC 4647 lookup: the whole tag, then shorter ones
 * ("de-AT" → "de", "zh-Hant-TW" → "zh-Hant" → "zh"), null when none is a language the pages speak.
 * A tag that is not well-formed matches nothing.
 */
export function matchLocale(tag: string | null | undefined): Locale | null {
  for (const candidate of fallbackChain(tag)) if (isLocale(candidate)) return candidate;
  return null;
}

/**
 * The tag, canonical and lower-cased, followed by each shorter prefix: what lookup tries in turn.
 * Single-letter subtags (extensions such as "-u-ca-buddhist") end the chain: they never name a
 * language of their own.
 */
export function fallbackChain(tag: string | null | undefined): string[] {
  if (!tag) return [];
  let canonical: string;
  try {
    [canonical = ''] = Intl.getCanonicalLocales(tag.trim());
  } catch {
    return [];
  }
  const subtags = canonical.toLowerCase().split('-');
  const end = subtags.findIndex((subtag, index) => index > 0 && subtag.length === 1);
  const kept = end === -1 ? subtags : subtags.slice(0, end);
  return kept.map((_, index) => kept.slice(0, kept.length - index).join('-'));
}

/**
 * The first language of an Accept-Language header (RFC 9110 §12.5.4) the pages speak, in the
 * order of the header's weights (equal weights keep their order); q=0 means "not this one", and
 * "*" is no language in particular. Returns the tag that matched too, for category names.
 */
export function matchAcceptLanguage(header: string | null): { locale: Locale; tag: string } | null {
  if (!header) return null;
  const ranges = header
    .split(',')
    .slice(0, 32)
    .map((part, index) => {
      const [range = '', ...parameters] = part.trim().split(';');
      const weight = parameters.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p)).find(Boolean);
      const q = weight ? Number(weight[1]) : 1;
      return { tag: range.trim(), q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((range) => range.q > 0 && range.tag !== '' && range.tag !== '*')
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const range of ranges) {
    const locale = matchLocale(range.tag);
    if (locale) return { locale, tag: range.tag };
  }
  return null;
}
