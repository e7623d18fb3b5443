import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Console passwords are kept as `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` (base64url): the salt and the
 * cost travel with the hash, so raising the cost later only changes new hashes. N = 2^15 with r = 8
 * takes 32 MiB and about 0.1 s per guess here; scrypt runs on libuv's thread pool, so a sign-in does
 * not stall other requests.
 */
const LOG_N = 15;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

const HASH_PATTERN = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([\w-]{16,})\$([\w-]{32,})$/;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, { N: 2 ** LOG_N, r: BLOCK_SIZE, p: PARALLELISM });
  return `$scrypt$ln=${LOG_N},r=${BLOCK_SIZE},p=${PARALLELISM}$${salt.toString('base64url')}$${key.toString(
    'base64url',
  )}`;
}

/** Constant-time comparison of the derived key; a malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = HASH_PATTERN.exec(stored);
  if (!match) return false;
  const [, logN, r, p, salt = '', hash = ''] = match;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: 2 ** Number(logN),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(key, expected);
}

/**
 * A hash of a random password, for unknown addresses: verifying against it costs the same as a real
 * check, so the time a sign-in takes does not tell whether the address has an account.
 */
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}
let decoy: Promise<string> | undefined;

function derive(password: string, salt: Buffer, length: number, cost: ScryptOptions): Promise<Buffer> {
  // Node's default 32 MiB memory cap is just below what N = 2^15, r = 8 needs.
  const options = { ...cost, maxmem: 256 * (cost.N ?? 0) * (cost.r ?? 0) };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}
