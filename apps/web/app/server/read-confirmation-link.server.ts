import { verifyConfirmationToken, type ConfirmationPayload } from '@herald/preferences';
import { data } from '@remix-run/node';
import type { Client } from './client.server';
import { db } from './db.server';
import { signingKeys } from './env.server';
import { recordTokenFailure } from './record-token-failure.server';

/** A category the link turns on, with what its name is shown from (localize-category.server.ts). */
export type ConfirmationCategory = { key: string; name: string; description: string; translations: unknown };

export type ConfirmationLink =
  | { state: 'valid'; payload: ConfirmationPayload; categories: ConfirmationCategory[] }
  | { state: 'expired' };

/**
 * The opt-ins a confirmation mail's link names, with their categories, or `expired` (the person may ask again
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
  const rows = await db.category.findMany({
    where: { key: { in: payload.categories } },
    select: { key: true, name: true, description: true, translations: true },
  });
  const byKey = new Map(rows.map((category) => [category.key, category]));
  // A category removed since the mail keeps its key as its name: confirming it fails with a 400.
  const categories = payload.categories.map(
    (key) => byKey.get(key) ?? { key, name: key, description: '', translations: {} },
  );
  return { state: 'valid', payload, categories };
}
