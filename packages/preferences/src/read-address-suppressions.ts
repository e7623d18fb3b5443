import type { DbClient } from './db-client.js';
import { addressHashes, normalizeAddress } from './hash-address.js';
import { toPrismaSuppressionReason, type SuppressionReasonValue } from './suppression-reason.js';

/**
 * The suppression reasons of each address (normalized), in one query for the lot. An address's
 * suppressions may be stored under its keyed or its legacy hash: both are looked up, so nothing
 * suppressed before the keyed hashes is ever mailed.
 */
export async function readAddressSuppressions(
  db: DbClient,
  emails: readonly string[],
): Promise<Map<string, string[]>> {
  const addresses = [...new Set(emails.map(normalizeAddress))];
  const addressByHash = new Map<string, string>();
  for (const address of addresses) {
    for (const hash of addressHashes(address)) addressByHash.set(hash, address);
  }
  const reasons = new Map<string, string[]>(addresses.map((address) => [address, []]));
  if (addresses.length === 0) return reasons;
  // Raw and prepared once per connection (decision 027): it runs for every message a worker starts,
  // and Prisma's IN list would make a statement text of its own for each number of hashes.
  const rows = await db.$queryRaw<
    { address_hash: string; reason: SuppressionReasonValue }[]
  >`/* herald:named */
    SELECT address_hash, reason::text FROM suppressions
     WHERE address_hash = ANY(${[...addressByHash.keys()]}::text[])`;
  for (const { address_hash: addressHash, reason } of rows) {
    const address = addressByHash.get(addressHash);
    // The stored value ("hard-bounce") by its Prisma enum name ("hard_bounce"), as the callers compare it.
    if (address) reasons.get(address)?.push(toPrismaSuppressionReason(reason));
  }
  return reasons;
}
