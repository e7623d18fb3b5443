import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits; only their SHA-256 is stored, so a database leak signs nobody in. */
export function newSignInToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashSignInToken(token) };
}

export function hashSignInToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
