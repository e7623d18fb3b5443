import { createHash } from 'node:crypto';
import type { SigningKey } from './signing-keys.js';
import {
  UUID_LENGTH,
  bytesToUuid,
  computeMac,
  decodeBase32,
  encodeBase32,
  isMacValid,
  uuidToBytes,
} from './token-encoding.js';

/*
 * The mailto token, version 1, before lowercase base32:
 *
 *   version (1) | key tag (1) | message id (16) | MAC (12)
 *
 * 30 bytes make exactly 48 base32 characters, so `unsubscribe+{token}` is 60 octets,
 * inside RFC 5321's 64. A whole key id does not fit beside a 96-bit MAC, so the token
 * carries a one-byte tag of it (see mailtoKeyTag); a verifier tries each key with that tag.
 * The version byte differs from the URL token's, so one form's MAC can never pass as the other's.
 */
const MAILTO_TOKEN_VERSION = 0x41;
const MAILTO_TOKEN_MAC_LENGTH = 12;
const MAILTO_TOKEN_BODY_LENGTH = 2 + UUID_LENGTH;
const MAILTO_TOKEN_LENGTH = MAILTO_TOKEN_BODY_LENGTH + MAILTO_TOKEN_MAC_LENGTH;

type MailtoTokenPayload = { messageId: string };

type MailtoTokenVerification =
  | { ok: true; payload: MailtoTokenPayload }
  | { ok: false; reason: 'malformed' | 'unknown-key' | 'bad-signature' };

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

  const body = bytes.subarray(0, MAILTO_TOKEN_BODY_LENGTH);
  const mac = bytes.subarray(MAILTO_TOKEN_BODY_LENGTH);
  // Two configured keys may share a tag (1 in 256); every one of them is tried.
  const isValid = candidates.some((key) => isMacValid(key.secret, body, mac));
  if (!isValid) return { ok: false, reason: 'bad-signature' };
  return { ok: true, payload: { messageId: bytesToUuid(bytes.subarray(2, MAILTO_TOKEN_BODY_LENGTH)) } };
}

/** One byte derived from the key id; key ids are public, so the tag reveals nothing. */
function mailtoKeyTag(kid: string): number {
  return createHash('sha256').update(`herald-mailto-kid:${kid}`).digest()[0] ?? 0;
}
