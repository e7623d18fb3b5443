import { DEFAULT_LOCALE, INTL_LOCALE } from '../../i18n/locales';
import { matchLocale } from '../../i18n/match-locale';
import type { PageLanguage } from '../../i18n/page-language';
import { createTranslator } from '../../i18n/translator';
import { db } from '../db.server';
import { localizeCategory } from './localize-category.server';

/** The language a mail to a contact is written in: its stored locale, else English. */
export function mailLanguage(contactLocale: string | null | undefined): PageLanguage {
  const locale = matchLocale(contactLocale) ?? DEFAULT_LOCALE;
  return {
    locale,
    tag: contactLocale && matchLocale(contactLocale) ? contactLocale : locale,
    timeZone: 'UTC',
  };
}

/**
 * "Produktneuigkeiten, Aktionen und alle Marketing-E-Mails": the categories a confirmation mail
 * would turn on, by their translated names, joined as the reader's language joins a list. The mail
 * itself is the template's translation for the same contact (the worker picks it), so the sentence
 * and the list it quotes speak one language.
 */
export async function describeChoices(
  categoryKeys: readonly string[],
  allPromotional: boolean,
  language: PageLanguage,
): Promise<string> {
  const rows = await db.category.findMany({
    where: { key: { in: [...categoryKeys] } },
    select: { key: true, name: true, description: true, translations: true },
  });
  const names = categoryKeys.map((key) => {
    const row = rows.find((candidate) => candidate.key === key);
    return row ? localizeCategory(row, language).name : key;
  });
  if (allPromotional) names.push(createTranslator(language).t('confirmation.allMarketing'));
  return new Intl.ListFormat(INTL_LOCALE[language.locale], { type: 'conjunction' }).format(names);
}
