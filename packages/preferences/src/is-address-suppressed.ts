import type { DbClient } from './db-client.js';
import { hashAddress } from './hash-address.js';
import { toPrismaSuppressionReason, type SuppressionReasonValue } from './suppression-reason.js';

/**
 * Whether the address is on the suppression list, for any of `reasons` (default: any). The
 * list is keyed by the address's hash, so a caller holding only an address asks here rather
 * than hashing it itself.
 */
export async function isAddressSuppressed(
  db: DbClient,
  email: string,
  reasons?: readonly SuppressionReasonValue[],
): Promise<boolean> {
  const match = await db.suppression.findFirst({
    where: {
      addressHash: hashAddress(email),
      ...(reasons ? { reason: { in: reasons.map(toPrismaSuppressionReason) } } : {}),
    },
    select: { id: true },
  });
  return match !== null;
}
