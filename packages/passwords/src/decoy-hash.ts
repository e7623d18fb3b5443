import { randomBytes } from 'node:crypto';
import { hashPassword } from './hash-password.js';

let decoy: Promise<string> | undefined;

/**
 * A hash of a random password, for unknown addresses: verifying against it costs the same as a real
 * check, so the time a sign-in takes does not tell whether the address has an account.
 */
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}
