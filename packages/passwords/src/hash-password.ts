import { randomBytes } from 'node:crypto';
import { deriveKey } from './derive-key.js';

/**
 * Console passwords are kept as `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` (base64url): the salt and the
 * cost travel with the hash, so raising the cost later only changes new hashes. N = 2^15 with r = 8
 * takes 32 MiB and about 0.1 s per guess here.
 */
const LOG_N = 15;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(password, salt, KEY_BYTES, { N: 2 ** LOG_N, r: BLOCK_SIZE, p: PARALLELISM });
  return `$scrypt$ln=${LOG_N},r=${BLOCK_SIZE},p=${PARALLELISM}$${salt.toString('base64url')}$${key.toString(
    'base64url',
  )}`;
}
