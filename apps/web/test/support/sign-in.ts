import type { Db } from '@herald/db';
import { createHash, randomBytes } from 'node:crypto';

/**
 * A sign-in token stored the way the app stores one (only its SHA-256), for tests that start at
 * the link. The full path, from the form through the API and the mail, is in the browser test.
 */
export async function storeSignInToken(db: Db, contactId: string, expiresInMs = 15 * 60_000) {
  const token = randomBytes(32).toString('base64url');
  await db.signInToken.create({
    data: {
      contactId,
      tokenHash: createHash('sha256').update(token).digest('hex'),
      expiresAt: new Date(Date.now() + expiresInMs),
    },
  });
  return token;
}

/** `name=value` of a Set-Cookie header, to send back as a Cookie header. */
export const cookiePair = (setCookie: string | null) => (setCookie ?? '').split(';')[0] ?? '';
