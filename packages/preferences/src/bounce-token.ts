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
 * The VERP token of the envelope sender `bounce+{token}@{MAIL_DOMAIN}`, version 1, before
 * lowercase base32:
 *
 *   version (1) | key tag (1) | message id (16) | MAC (12)
 *
 * The mailto token's layout (48 characters, so `bounce+{token}` is 55 octets) with its own version
 * byte: the MAC covers it, so an unsubscribe token never passes as a bounce token, nor the reverse
 * (a bounce address must not unsubscribe anyone, and an unsubscribe address must not report bounces).
 */
const BOUNCE_TOKEN_VERSION = 0x42;
const BOUNCE_TOKEN_MAC_LENGTH = 12;
const BOUNCE_TOKEN_BODY_LENGTH = 2 + UUID_LENGTH;
const BOUNCE_TOKEN_LENGTH = BOUNCE_TOKEN_BODY_LENGTH + BOUNCE_TOKEN_MAC_LENGTH;

type BounceTokenPayload = { messageId: string };

type BounceTokenVerification =
  | { ok: true; payload: BounceTokenPayload }
  | { ok: false; reason: 'malformed' | 'unknown-key' | 'bad-signature' };

/**
 * Names the message in its envelope sender, so a bounce report sent back to it identifies the
 * message even when the report quotes nothing of it. Signed, so a forged report cannot name one.
 */
export function signBounceToken(payload: BounceTokenPayload, keys: readonly SigningKey[]): string {
  const key = keys[0];
  if (!key) throw new Error('signBounceToken: no signing key configured');
  const body = Buffer.concat([
    Buffer.from([BOUNCE_TOKEN_VERSION, bounceKeyTag(key.kid)]),
    uuidToBytes(payload.messageId),
  ]);
  return encodeBase32(Buffer.concat([body, computeMac(key.secret, body, BOUNCE_TOKEN_MAC_LENGTH)]));
}

export function verifyBounceToken(token: string, keys: readonly SigningKey[]): BounceTokenVerification {
  const bytes = decodeBase32(token);
  if (!bytes || bytes.length !== BOUNCE_TOKEN_LENGTH || bytes[0] !== BOUNCE_TOKEN_VERSION) {
    return { ok: false, reason: 'malformed' };
  }
  const tag = bytes[1];
  const candidates = keys.filter((key) => bounceKeyTag(key.kid) === tag);
  if (candidates.length === 0) return { ok: false, reason: 'unknown-key' };

  const body = bytes.subarray(0, BOUNCE_TOKEN_BODY_LENGTH);
  const mac = bytes.subarray(BOUNCE_TOKEN_BODY_LENGTH);
  // Two configured keys may share a tag (1 in 256); every one of them is tried.
  if (!candidates.some((key) => isMacValid(key.secret, body, mac)))
    return { ok: false, reason: 'bad-signature' };
  return { ok: true, payload: { messageId: bytesToUuid(bytes.subarray(2, BOUNCE_TOKEN_BODY_LENGTH)) } };
}

/**
 * `bounce+{token}@{mailDomain}` (in angle brackets or not, as in a Return-Path) → the token, or
 * null for any other address. Mail systems may change the case of an address, so the comparison
 * ignores case (the token is base32). The token still has to be verified.
 */
export function parseBounceAddress(address: string, mailDomain: string): string | null {
  const match = /^<?\s*bounce\+([a-z2-7]+)@([^\s>]+)\s*>?$/i.exec(address.trim());
  if (!match?.[1] || match[2]?.toLowerCase() !== mailDomain.toLowerCase()) return null;
  return match[1].toLowerCase();
}

const keyTags = new Map<string, number>();

/**
 * One byte derived from the key id; key ids are public, so the tag reveals nothing. Kept per key
 * id: the inbound listener verifies a token for every report of a bounce storm.
 */
function bounceKeyTag(kid: string): number {
  let tag = keyTags.get(kid);
  if (tag === undefined) {
    tag = createHash('sha256').update(`herald-bounce-kid:${kid}`).digest()[0] ?? 0;
    keyTags.set(kid, tag);
  }
  return tag;
}
