import { fallbackChain } from '../../i18n/match-locale';
import type { PageLanguage } from '../../i18n/page-language';

type Translation = { name: string; description?: string };

/**
 * A category's name and description in the page's language, from categories.translations
 * (`{ "de": { "name": …, "description": … } }`): the tag that chose the language first, then
 * shorter tags ("de-AT", then "de"), then the category's own text. Name and description fall back
 * separately, so a translation may give only the name. The column is written through the API,
 * which validates it; anything else in it is passed over rather than shown.
 */
export function localizeCategory(
  category: { name: string; description: string; translations: unknown },
  language: PageLanguage,
): { name: string; description: string } {
  const chain = fallbackChain(language.tag);
  if (!chain.includes(language.locale)) chain.push(language.locale);
  const translations = readTranslations(category.translations);
  const candidates = chain.flatMap((tag) => translations.get(tag) ?? []);
  return {
    name: candidates.find((entry) => entry.name)?.name ?? category.name,
    description: candidates.find((entry) => entry.description)?.description ?? category.description,
  };
}

/** The translations by lower-cased tag, keeping only entries of the stored shape. */
function readTranslations(value: unknown): Map<string, Translation> {
  const entries = new Map<string, Translation>();
  if (!value || typeof value !== 'object' || Array.isArray(value)) return entries;
  for (const [tag, entry] of Object.entries(value)) {
    if (!entry || typeof entry !== 'object') continue;
    const { name, description } = entry as Record<string, unknown>;
    if (typeof name !== 'string' || !name) continue;
    entries.set(tag.toLowerCase(), {
      name,
      ...(typeof description === 'string' && description ? { description } : {}),
    });
  }
  return entries;
}
