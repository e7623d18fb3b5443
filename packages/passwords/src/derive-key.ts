import { scrypt, type ScryptOptions } from 'node:crypto';

/** scrypt on libuv's thread pool, so a sign-in does not stall other requests. */
export function deriveKey(
  password: string,
  salt: Buffer,
  length: number,
  cost: ScryptOptions,
): Promise<Buffer> {
  // Node's default 32 MiB memory cap is just below what N = 2^15, r = 8 needs.
  const options = { ...cost, maxmem: 256 * (cost.N ?? 0) * (cost.r ?? 0) };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}
