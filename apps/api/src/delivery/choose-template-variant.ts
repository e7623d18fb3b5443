import { DEFAULT_TEMPLATE_LOCALE, languageOf, pickLocale } from '@herald/templates';
import type { StoredTemplate } from '../templates/find-template.js';
import type { TemplateCache } from '../templates/template-cache.js';

export interface ChosenTemplate {
  /** What to render: the translation for the reader, else the message's own version. */
  template: StoredTemplate;
  /** The message's own version (the default's), rendered instead should the translation fail. */
  base: StoredTemplate;
  /** The translation's locale; null when the default is sent. */
  locale: string | null;
  /** Set when the reader's language has no translation: the default went instead (a reported fallback). */
  missing: string | null;
}

/**
 * Picks a message's template for its reader at send time: the latest translation of the reader's
 * locale ("de-AT"), else of its language ("de"), else the message's own version. A message whose
 * version is itself a translation is sent as it is. Nothing here ever stops a message: a missing
 * translation sends the default, and says so.
 */
export async function chooseTemplateVariant(
  templates: Pick<TemplateCache, 'version' | 'variants'>,
  templateId: string,
  readerLocale: string | null | undefined,
): Promise<ChosenTemplate> {
  const base = await templates.version(templateId);
  if (base.locale !== null) return { template: base, base, locale: base.locale, missing: null };
  const variants = await templates.variants(base.key);
  const picked = variants.size > 0 ? pickLocale(variants.keys(), readerLocale) : null;
  const variant = picked === null ? undefined : variants.get(picked);
  if (variant) return { template: variant, base, locale: picked, missing: null };
  const wantsAnother =
    readerLocale !== null &&
    readerLocale !== undefined &&
    readerLocale !== '' &&
    languageOf(readerLocale) !== DEFAULT_TEMPLATE_LOCALE;
  return { template: base, base, locale: null, missing: wantsAnother ? readerLocale : null };
}
