import type { DbClient } from './db-client.js';
import { addressHashes, normalizeAddress } from './hash-address.js';

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
  const rows = await db.suppression.findMany({
    where: { addressHash: { in: [...addressByHash.keys()] } },
    select: { addressHash: true, reason: true },
  });
  for (const { addressHash, reason } of rows) {
    const address = addressByHash.get(addressHash);
    if (address) reasons.get(address)?.push(reason);
  }
  return reasons;
}
