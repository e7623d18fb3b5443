import type { DbClient } from './db-client.js';
import { hashAddress } from './hash-address.js';
import { toPrismaSuppressionReason, type SuppressionReasonValue } from './suppression-reason.js';

/**
 * Whether the address is on the suppression list, for any of `reasons` (default: any).
 * Contact creation and imports use it to refuse or flag an address that bounced,
 * complained or was erased, instead of quietly subscribing it again.
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
