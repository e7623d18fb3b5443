import { verifyConfirmationToken, type ConfirmationPayload } from '@herald/preferences';
import { data } from '@remix-run/node';
import type { Client } from './client.server';
import { db } from './db.server';
import { signingKeys } from './env.server';
import { recordTokenFailure } from './record-token-failure.server';

export type ConfirmationLink =
  | { state: 'valid'; payload: ConfirmationPayload; choices: string[] }
  | { state: 'expired' };

/**
 * The opt-ins a confirmation mail's link names, in words, or `expired` (the person may ask again
 * from the preference page). A tampered or foreign link counts as a failed token, like a bad
 * preference link, and gets the same 400 (or 429) page.
 */
export async function readConfirmationLink(
  token: string | undefined,
  client: Client,
): Promise<ConfirmationLink> {
  const verification = verifyConfirmationToken(token ?? '', signingKeys);
  if (!verification.ok) {
    if (verification.reason === 'expired') return { state: 'expired' };
    const { limited } = await recordTokenFailure(client);
    throw data(null, { status: limited ? 429 : 400, headers: limited ? { 'Retry-After': '60' } : {} });
  }
  const { payload } = verification;
  const categories = await db.category.findMany({
    where: { key: { in: payload.categories } },
    select: { key: true, name: true },
  });
  const names = new Map(categories.map((category) => [category.key, category.name]));
  const choices = [
    ...payload.categories.map((key) => names.get(key) ?? key),
    ...(payload.allPromotional ? ['All marketing email'] : []),
  ];
  return { state: 'valid', payload, choices };
}
