import type { VerifiedTokenPayload } from '@herald/preferences';
import type { PageLanguage } from '~/i18n/page-language';
import { db } from './db.server';
import { chooseLanguage } from './i18n/choose-language.server';
import { localizeCategory } from './i18n/localize-category.server';
import { linkNoLongerValid } from './require-link-token.server';

export type UnsubscribeTarget =
  | { kind: 'all-promotional' }
  | { kind: 'category'; key: string; name: string; description: string; required: boolean };

/**
 * What the token lets this page unsubscribe from, in words a person reads, and the language to
 * read them in (the link's contact is known, so their stored locale counts; chooseLanguage).
 */
export async function loadUnsubscribeTarget(
  payload: VerifiedTokenPayload,
  request: Request,
): Promise<{ target: UnsubscribeTarget; language: PageLanguage }> {
  const [contact, category] = await Promise.all([
    db.contact.findUnique({
      where: { id: payload.contactId },
      select: { erasedAt: true, locale: true, timezone: true },
    }),
    payload.scope.kind === 'category'
      ? db.category.findUnique({ where: { key: payload.scope.categoryKey } })
      : Promise.resolve(null),
  ]);
  if (!contact || contact.erasedAt) linkNoLongerValid();
  const language = chooseLanguage(request, contact);
  if (payload.scope.kind === 'all-promotional') return { target: { kind: 'all-promotional' }, language };
  if (!category) linkNoLongerValid();
  return {
    target: {
      kind: 'category',
      key: category.key,
      ...localizeCategory(category, language),
      required: category.required,
    },
    language,
  };
}
