import type { DbClient } from './db-client.js';
import { normalizeAddress } from './hash-address.js';
import { readAddressSuppressions } from './read-address-suppressions.js';
import { toPrismaSuppressionReason, type SuppressionReasonValue } from './suppression-reason.js';

/**
 * Whether the address is on the suppression list, for any of `reasons` (default: any). The
 * list is keyed by the address's hashes, so a caller holding only an address asks here rather
 * than hashing it itself.
 */
export async function isAddressSuppressed(
  db: DbClient,
  email: string,
  reasons?: readonly SuppressionReasonValue[],
): Promise<boolean> {
  const found = (await readAddressSuppressions(db, [email])).get(normalizeAddress(email)) ?? [];
  const wanted = reasons?.map(toPrismaSuppressionReason);
  return found.some((reason) => !wanted || wanted.includes(reason as (typeof wanted)[number]));
}
