import { addressHashes, useAddressHashKey } from '@herald/preferences';
import { db } from '../db.server';

// The suppression list is keyed by HERALD_ADDRESS_HASH_KEY: the web app needs the API's key to read it.
const hashKey = process.env.HERALD_ADDRESS_HASH_KEY ?? '';
if (hashKey.length >= 8) useAddressHashKey(hashKey);

/**
 * Whether an address must never be subscribed by a form: on the suppression list for any reason
 * (bounces, complaints, erasure, by hand). Without the list's key the answer cannot be known, so it
 * is yes: a subscribe form then mails and subscribes no one (and says so in the log).
 */
export async function isSuppressedForForms(address: string): Promise<boolean> {
  if (hashKey.length < 8) {
    console.warn(
      'subscribe forms are off: set HERALD_ADDRESS_HASH_KEY (the API’s) so the suppression list can be read',
    );
    return true;
  }
  const found = await db.suppression.findFirst({
    where: { addressHash: { in: addressHashes(address) } },
    select: { id: true },
  });
  return found !== null;
}
