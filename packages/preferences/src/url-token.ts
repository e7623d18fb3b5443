import { z } from 'zod';
import type { SigningKey } from './signing-keys.js';
import { UUID_LENGTH, bytesToUuid, computeMac, isMacValid, uuidToBytes } from './token-encoding.js';

/*
 * The URL token, version 1, before base64url:
 *
 *   version (1) | kid length (1) | kid (1-8, ASCII) | contact id (16)
 *   | scope (1: 0 = all promotional, else the category key's length) | category key (0-255, UTF-8)
 *   | message id (16, optional) | MAC (16)
 *
 * The MAC is HMAC-SHA256 over every byte before it, truncated to 128 bits. Whether a
 * message id is present follows from the length, so it costs no flag byte.
 */
const URL_TOKEN_VERSION = 0x01;
const URL_TOKEN_MAC_LENGTH = 16;
const MAX_CATEGORY_KEY_BYTES = 255;
// verifyToken refuses any other key id, so signToken refuses to sign with one too.
const KID = /^[a-z0-9]{1,8}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

export const TokenScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('category'), categoryKey: z.string().min(1) }),
  z.object({ kind: z.literal('all-promotional') }),
]);

const TokenPayloadSchema = z.object({
  contactId: z.guid(),
  scope: TokenScopeSchema,
  messageId: z.guid().optional(),
});

export type TokenScope = z.infer<typeof TokenScopeSchema>;
export type TokenPayload = z.infer<typeof TokenPayloadSchema>;

type TokenVerification =
  | { ok: true; payload: TokenPayload }
  | { ok: false; reason: 'malformed' | 'unknown-key' | 'bad-signature' };

/** Signs an unsubscribe capability with the first key. The result is URL-safe base64url. */
export function signToken(payload: TokenPayload, keys: readonly SigningKey[]): string {
  const key = keys[0];
  if (!key) throw new Error('signToken: no signing key configured');
  // A hand-built key with another id would produce links that can never be verified.
  if (!KID.test(key.kid))
    throw new Error(`signToken: key id "${key.kid}" is not 1 to 8 lower-case letters or digits`);
  const { contactId, scope, messageId } = TokenPayloadSchema.parse(payload);

  const kid = Buffer.from(key.kid, 'ascii');
  const categoryKey = scope.kind === 'category' ? Buffer.from(scope.categoryKey, 'utf8') : Buffer.alloc(0);
  if (categoryKey.length > MAX_CATEGORY_KEY_BYTES) {
    throw new Error(`signToken: category key is longer than ${MAX_CATEGORY_KEY_BYTES} bytes`);
  }

  const body = Buffer.concat([
    Buffer.from([URL_TOKEN_VERSION, kid.length]),
    kid,
    uuidToBytes(contactId),
    Buffer.from([categoryKey.length]),
    categoryKey,
    messageId === undefined ? Buffer.alloc(0) : uuidToBytes(messageId),
  ]);
  const mac = computeMac(key.secret, body, URL_TOKEN_MAC_LENGTH);
  return Buffer.concat([body, mac]).toString('base64url');
}

/** Never throws: any token a stranger can send yields a reason, not an exception. */
export function verifyToken(token: string, keys: readonly SigningKey[]): TokenVerification {
  const parsed = parseToken(token);
  if (!parsed) return { ok: false, reason: 'malformed' };
  const key = keys.find((candidate) => candidate.kid === parsed.kid);
  if (!key) return { ok: false, reason: 'unknown-key' };
  if (!isMacValid(key.secret, parsed.body, parsed.mac)) return { ok: false, reason: 'bad-signature' };
  return { ok: true, payload: parsed.payload };
}

type ParsedToken = { kid: string; body: Buffer; mac: Buffer; payload: TokenPayload };

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
