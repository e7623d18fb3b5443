import type { VerifiedTokenPayload } from '@herald/preferences';
import { db } from './db.server';
import { linkNoLongerValid } from './require-link-token.server';

export type UnsubscribeTarget =
  | { kind: 'all-promotional' }
  | { kind: 'category'; key: string; name: string; description: string; required: boolean };

/** What the token lets this page unsubscribe from, in words a person reads. */
export async function loadUnsubscribeTarget(payload: VerifiedTokenPayload): Promise<UnsubscribeTarget> {
  const [contact, category] = await Promise.all([
    db.contact.findUnique({ where: { id: payload.contactId }, select: { erasedAt: true } }),
    payload.scope.kind === 'category'
      ? db.category.findUnique({ where: { key: payload.scope.categoryKey } })
      : Promise.resolve(null),
  ]);
  if (!contact || contact.erasedAt) linkNoLongerValid();
  if (payload.scope.kind === 'all-promotional') return { kind: 'all-promotional' };
  if (!category) linkNoLongerValid();
  return {
    kind: 'category',
    key: category.key,
    name: category.name,
    description: category.description,
    required: category.required,
  };
}
