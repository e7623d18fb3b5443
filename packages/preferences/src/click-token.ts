import type { SigningKey } from './signing-keys.js';
import {
  ByteReader,
  UUID_LENGTH,
  bytesToUuid,
  computeMac,
  decodeCanonicalBase64url,
  decodeUtf8,
  encodeVarint,
  isMacValid,
  uuidToBytes,
} from './token-encoding.js';

/*
 * The tracked-link token of /c/{token} (docs/decisions/022-click-tracking.md), before base64url:
 *
 *   version (1) = 0x11 | kid length (1) | kid (1-8, ASCII) | message id (16)
 *   | link index (1-5, unsigned LEB128) | target URL (the rest, UTF-8) | MAC (16)
 *
 * The target travels in the token, under the MAC: the redirect needs no database to answer, and
 * only a target the worker put in a message it rendered can be followed (never an open redirect).
 * The MAC is HMAC-SHA256 over every byte before it, truncated to 128 bits, with the signing keys
 * of the unsubscribe links; its version byte is one neither the URL token (0x01, 0x02) nor the
 * message tokens use, so one kind of token never passes as another.
 */
const CLICK_TOKEN_VERSION = 0x11;
const MAC_LENGTH = 16;
const KID = /^[a-z0-9]{1,8}$/;
/** Longer targets are left as they are: a redirect address must stay well inside what clients take. */
export const MAX_TRACKED_URL_BYTES = 2048;

export type ClickTokenPayload = { messageId: string; linkIndex: number; url: string };

type ClickTokenVerification =
  | { ok: true; payload: ClickTokenPayload }
  | { ok: false; reason: 'malformed' | 'unknown-key' | 'bad-signature' };

/** Signs a tracked link with the first key. Throws for a target that is not http(s) or too long. */
export function signClickToken(payload: ClickTokenPayload, keys: readonly SigningKey[]): string {
  const key = keys[0];
  if (!key) throw new Error('signClickToken: no signing key configured');
  if (!KID.test(key.kid))
    throw new Error(`signClickToken: key id "${key.kid}" is not 1 to 8 lower-case letters or digits`);
  if (!Number.isInteger(payload.linkIndex) || payload.linkIndex < 0 || payload.linkIndex > 0xffffffff)
    throw new Error('signClickToken: link index out of range');
  if (!isTrackableUrl(payload.url)) throw new Error('signClickToken: only http(s) targets are tracked');
  const url = Buffer.from(payload.url, 'utf8');
  if (url.length > MAX_TRACKED_URL_BYTES) throw new Error('signClickToken: target too long');
  const kid = Buffer.from(key.kid, 'ascii');
  const body = Buffer.concat([
    Buffer.from([CLICK_TOKEN_VERSION, kid.length]),
    kid,
    uuidToBytes(payload.messageId),
    encodeVarint(payload.linkIndex),
    url,
  ]);
  return Buffer.concat([body, computeMac(key.secret, body, MAC_LENGTH)]).toString('base64url');
}

/** Never throws: whatever a stranger sends yields a reason, not an exception. */
export function verifyClickToken(token: string, keys: readonly SigningKey[]): ClickTokenVerification {
  const bytes = decodeCanonicalBase64url(token);
  if (!bytes) return { ok: false, reason: 'malformed' };
  const reader = new ByteReader(bytes);
  const header = reader.take(2);
  if (!header || header[0] !== CLICK_TOKEN_VERSION) return { ok: false, reason: 'malformed' };
  const kidBytes = reader.take(header[1] ?? 0);
  const messageId = reader.take(UUID_LENGTH);
  const linkIndex = reader.varint();
  if (!kidBytes || !messageId || linkIndex === null || reader.remaining <= MAC_LENGTH) {
    return { ok: false, reason: 'malformed' };
  }
  const kid = kidBytes.toString('latin1');
  if (!KID.test(kid)) return { ok: false, reason: 'malformed' };
  const key = keys.find((candidate) => candidate.kid === kid);
  if (!key) return { ok: false, reason: 'unknown-key' };
  const end = bytes.length - MAC_LENGTH;
  if (!isMacValid(key.secret, bytes.subarray(0, end), bytes.subarray(end))) {
    return { ok: false, reason: 'bad-signature' };
  }
  const url = decodeUtf8(bytes.subarray(reader.offset, end));
  if (url === null || !isTrackableUrl(url)) return { ok: false, reason: 'malformed' };
  return { ok: true, payload: { messageId: bytesToUuid(messageId), linkIndex, url } };
}

/** An absolute http or https address: the only targets a tracked link may lead to. */
export function isTrackableUrl(url: string): boolean {
  if (!/^https?:\/\//i.test(url)) return false;
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}
