import type { SigningKey } from './signing-keys.js';
import { isMacValid } from './token-mac.js';
import { URL_TOKEN_MAC_LENGTH, URL_TOKEN_VERSION, UUID_LENGTH } from './token-format.js';
import type { TokenPayload, TokenScope } from './token-payload.js';
import { bytesToUuid } from './uuid-bytes.js';

export type TokenVerification =
  | { ok: true; payload: TokenPayload }
  | { ok: false; reason: 'malformed' | 'unknown-key' | 'bad-signature' };

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const KID = /^[a-z0-9]{1,8}$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

type ParsedToken = { kid: string; body: Buffer; mac: Buffer; payload: TokenPayload };

/** Never throws: any token a stranger can send yields a reason, not an exception. */
export function verifyToken(token: string, keys: readonly SigningKey[]): TokenVerification {
  const parsed = parseToken(token);
  if (!parsed) return { ok: false, reason: 'malformed' };
  const key = keys.find((candidate) => candidate.kid === parsed.kid);
  if (!key) return { ok: false, reason: 'unknown-key' };
  if (!isMacValid(key.secret, parsed.body, parsed.mac)) return { ok: false, reason: 'bad-signature' };
  return { ok: true, payload: parsed.payload };
}

function parseToken(token: string): ParsedToken | null {
  if (!BASE64URL.test(token)) return null;
  const bytes = Buffer.from(token, 'base64url');
  // Node decodes leniently; a token must be the one canonical encoding of its bytes,
  // otherwise several strings would carry the same signature.
  if (bytes.toString('base64url') !== token) return null;

  let offset = 0;
  const take = (length: number): Buffer | null => {
    if (offset + length > bytes.length) return null;
    const slice = bytes.subarray(offset, offset + length);
    offset += length;
    return slice;
  };

  const header = take(2);
  if (!header || header[0] !== URL_TOKEN_VERSION) return null;
  const kidBytes = take(header[1] ?? 0);
  const contactId = take(UUID_LENGTH);
  const scopeLength = take(1);
  if (!kidBytes || !contactId || !scopeLength) return null;
  const categoryKeyBytes = take(scopeLength[0] ?? 0);
  if (!categoryKeyBytes) return null;

  const rest = bytes.length - offset;
  if (rest !== URL_TOKEN_MAC_LENGTH && rest !== UUID_LENGTH + URL_TOKEN_MAC_LENGTH) return null;
  const messageId = rest > URL_TOKEN_MAC_LENGTH ? take(UUID_LENGTH) : null;
  const body = bytes.subarray(0, offset);
  const mac = bytes.subarray(offset);

  const kid = kidBytes.toString('latin1');
  if (!KID.test(kid)) return null;
  const categoryKey = decodeUtf8(categoryKeyBytes);
  if (categoryKey === null) return null;
  const scope: TokenScope =
    categoryKeyBytes.length === 0 ? { kind: 'all-promotional' } : { kind: 'category', categoryKey };

  const payload: TokenPayload = { contactId: bytesToUuid(contactId), scope };
  if (messageId) payload.messageId = bytesToUuid(messageId);
  return { kid, body, mac, payload };
}

function decodeUtf8(bytes: Buffer): string | null {
  try {
    return UTF8.decode(bytes);
  } catch {
    return null;
  }
}
