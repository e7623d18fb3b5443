/**
 * The key of the address hashes (HERALD_ADDRESS_HASH_KEY), set once per process at start-up by
 * whatever reads the environment (the API's and the worker's app factories). A process-wide setting
 * rather than an argument: it is one value for the life of a deployment, which every suppression ever
 * written is keyed by, and every reader and writer of the list must use the same one.
 */
let current: Buffer | null = null;

/** Sets the key every address hash of this process is made with. */
export function useAddressHashKey(key: string): void {
  if (key.length < 8) throw new Error('address hash key: at least 8 characters are required');
  current = Buffer.from(key, 'utf8');
}

/** The key set by useAddressHashKey; a process that hashes an address without one has a bug. */
export function addressHashKey(): Buffer {
  if (!current) {
    throw new Error(
      'address hash key not set: call useAddressHashKey(HERALD_ADDRESS_HASH_KEY) when the process starts',
    );
  }
  return current;
}
