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
 * The compact, case-insensitive tokens that name one message in an address's local part (the mailto
 * unsubscribe token, the VERP bounce token), before lowercase base32:
 *
 *   version (1) | key tag (1) | message id (16) | MAC (12)
 *
 * 30 bytes make exactly 48 base32 characters, inside RFC 5321's 64 octets with a `bounce+` or
 * `unsubscribe+` prefix. A whole key id does not fit beside a 96-bit MAC, so the token carries a
 * one-byte tag of it; a verifier tries each key with that tag. Each kind has its own version byte,
 * which the MAC covers, so a token of one kind never passes as another.
 */
const MAC_LENGTH = 12;
const BODY_LENGTH = 2 + UUID_LENGTH;
const TOKEN_LENGTH = BODY_LENGTH + MAC_LENGTH;

/** One kind of message token: its version byte and the label its key tags are derived under. */
export interface MessageTokenKind {
  /** Names the signing function in its error. */
  name: string;
  version: number;
  tagLabel: string;
}

type MessageTokenPayload = { messageId: string };

type MessageTokenVerification =
  | { ok: true; payload: MessageTokenPayload }
  | { ok: false; reason: 'malformed' | 'unknown-key' | 'bad-signature' };

export function signMessageToken(
  kind: MessageTokenKind,
  payload: MessageTokenPayload,
  keys: readonly SigningKey[],
): string {
  const key = keys[0];
  if (!key) throw new Error(`${kind.name}: no signing key configured`);
  const body = Buffer.concat([
    Buffer.from([kind.version, keyTag(kind, key.kid)]),
    uuidToBytes(payload.messageId),
  ]);
  return encodeBase32(Buffer.concat([body, computeMac(key.secret, body, MAC_LENGTH)]));
}

export function verifyMessageToken(
  kind: MessageTokenKind,
  token: string,
  keys: readonly SigningKey[],
): MessageTokenVerification {
  const bytes = decodeBase32(token);
  if (!bytes || bytes.length !== TOKEN_LENGTH || bytes[0] !== kind.version) {
    return { ok: false, reason: 'malformed' };
  }
  const tag = bytes[1];
  const candidates = keys.filter((key) => keyTag(kind, key.kid) === tag);
  if (candidates.length === 0) return { ok: false, reason: 'unknown-key' };

  const body = bytes.subarray(0, BODY_LENGTH);
  const mac = bytes.subarray(BODY_LENGTH);
  // Two configured keys may share a tag (1 in 256); every one of them is tried.
  if (!candidates.some((key) => isMacValid(key.secret, body, mac)))
    return { ok: false, reason: 'bad-signature' };
  return { ok: true, payload: { messageId: bytesToUuid(bytes.subarray(2, BODY_LENGTH)) } };
}

const keyTags = new Map<string, number>();

/**
 * One byte derived from the key id; key ids are public, so the tag reveals nothing. Kept per kind
 * and key id: the inbound listener verifies a token for every report of a bounce storm.
 */
function keyTag(kind: MessageTokenKind, kid: string): number {
  const label = `${kind.tagLabel}:${kid}`;
  let tag = keyTags.get(label);
  if (tag === undefined) {
    tag = createHash('sha256').update(label).digest()[0] ?? 0;
    keyTags.set(label, tag);
  }
  return tag;
}
