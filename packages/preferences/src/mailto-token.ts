import { createHash } from 'node:crypto';
import { decodeBase32, encodeBase32 } from './base32.js';
import type { SigningKey } from './signing-keys.js';
import { computeMac, isMacValid } from './token-mac.js';
import {
  MAILTO_TOKEN_LENGTH,
  MAILTO_TOKEN_MAC_LENGTH,
  MAILTO_TOKEN_VERSION,
  UUID_LENGTH,
} from './token-format.js';
import { bytesToUuid, uuidToBytes } from './uuid-bytes.js';

export type MailtoTokenPayload = { messageId: string };

export type MailtoTokenVerification =
  | { ok: true; payload: MailtoTokenPayload }
  | { ok: false; reason: 'malformed' | 'unknown-key' | 'bad-signature' };

/** One byte derived from the key id; key ids are public, so the tag reveals nothing. */
export function mailtoKeyTag(kid: string): number {
  return createHash('sha256').update(`herald-mailto-kid:${kid}`).digest()[0] ?? 0;
}

/**
 * The compact, case-insensitive form of an unsubscribe capability for
 * `mailto:unsubscribe+{token}@…`. It names only the message; the caller resolves the
 * contact and category from the message row.
 */
export function signMailtoToken(payload: MailtoTokenPayload, keys: readonly SigningKey[]): string {
  const key = keys[0];
  if (!key) throw new Error('signMailtoToken: no signing key configured');
  const body = Buffer.concat([
    Buffer.from([MAILTO_TOKEN_VERSION, mailtoKeyTag(key.kid)]),
    uuidToBytes(payload.messageId),
  ]);
  return encodeBase32(Buffer.concat([body, computeMac(key.secret, body, MAILTO_TOKEN_MAC_LENGTH)]));
}

export function verifyMailtoToken(token: string, keys: readonly SigningKey[]): MailtoTokenVerification {
  const bytes = decodeBase32(token);
  if (!bytes || bytes.length !== MAILTO_TOKEN_LENGTH || bytes[0] !== MAILTO_TOKEN_VERSION) {
    return { ok: false, reason: 'malformed' };
  }
  const tag = bytes[1];
  const candidates = keys.filter((key) => mailtoKeyTag(key.kid) === tag);
  if (candidates.length === 0) return { ok: false, reason: 'unknown-key' };

  const bodyLength = 2 + UUID_LENGTH;
  const body = bytes.subarray(0, bodyLength);
  const mac = bytes.subarray(bodyLength);
  // Two configured keys may share a tag (1 in 256); every one of them is tried.
  const isValid = candidates.some((key) => isMacValid(key.secret, body, mac));
  if (!isValid) return { ok: false, reason: 'bad-signature' };
  return { ok: true, payload: { messageId: bytesToUuid(bytes.subarray(2, bodyLength)) } };
}
