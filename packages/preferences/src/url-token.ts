import { z } from 'zod';
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
 * The URL token before base64url. Version 2, the one signed now:
 *
 *   version (1) = 0x02 | kid length (1) | kid (1-8, ASCII) | contact id (16)
 *   | token epoch (1-5, unsigned LEB128) | issue day (2, days since 1970-01-01 UTC)
 *   | scope (1: 0 = all promotional, else the category key's length) | category key (0-255, UTF-8)
 *   | message id (16, optional) | MAC (16)
 *
 * Version 1, still in people's mailboxes and still verified, has neither the epoch nor the issue
 * day: it counts as epoch 0 and as issued at an unknown time (older than any opt-in allows).
 * The MAC is HMAC-SHA256 over every byte before it, truncated to 128 bits. Whether a message id
 * is present follows from the length, so it costs no flag byte. The epoch is almost always 0, so
 * a variable-length integer keeps it to one byte: 88 characters for a category token with a message.
 */
const URL_TOKEN_V1 = 0x01;
const URL_TOKEN_V2 = 0x02;
const URL_TOKEN_MAC_LENGTH = 16;
const MAX_CATEGORY_KEY_BYTES = 255;
const MAX_ISSUE_DAY = 0xffff;
const DAY_MS = 86_400_000;
// verifyToken refuses any other key id, so signToken refuses to sign with one too.
const KID = /^[a-z0-9]{1,8}$/;

export const TokenScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('category'), categoryKey: z.string().min(1) }),
  z.object({ kind: z.literal('all-promotional') }),
]);

const TokenPayloadSchema = z.object({
  contactId: z.guid(),
  scope: TokenScopeSchema,
  messageId: z.guid().optional(),
  /** The contact's token epoch when the link was signed (contacts.token_epoch). */
  tokenEpoch: z.number().int().min(0).max(0xffffffff),
  /** When the link was signed; now when not given. Kept to the day. */
  issuedAt: z.date().optional(),
});

export type TokenScope = z.infer<typeof TokenScopeSchema>;
export type TokenPayload = z.input<typeof TokenPayloadSchema>;

/** What a verified link says: version 1 links carry epoch 0 and no issue time. */
export type VerifiedTokenPayload = {
  contactId: string;
  scope: TokenScope;
  messageId?: string;
  tokenEpoch: number;
  /** The start of the UTC day the link was signed on; null for a version 1 link. */
  issuedAt: Date | null;
};

type TokenVerification =
  | { ok: true; payload: VerifiedTokenPayload }
  | { ok: false; reason: 'malformed' | 'unknown-key' | 'bad-signature' };

/** Signs an unsubscribe capability with the first key. The result is URL-safe base64url. */
export function signToken(payload: TokenPayload, keys: readonly SigningKey[]): string {
  const key = keys[0];
  if (!key) throw new Error('signToken: no signing key configured');
  // A hand-built key with another id would produce links that can never be verified.
  if (!KID.test(key.kid))
    throw new Error(`signToken: key id "${key.kid}" is not 1 to 8 lower-case letters or digits`);
  const { contactId, scope, messageId, tokenEpoch, issuedAt } = TokenPayloadSchema.parse(payload);

  const kid = Buffer.from(key.kid, 'ascii');
  const categoryKey = scope.kind === 'category' ? Buffer.from(scope.categoryKey, 'utf8') : Buffer.alloc(0);
  if (categoryKey.length > MAX_CATEGORY_KEY_BYTES) {
    throw new Error(`signToken: category key is longer than ${MAX_CATEGORY_KEY_BYTES} bytes`);
  }
  const issueDay = Math.floor((issuedAt ?? new Date()).getTime() / DAY_MS);
  if (issueDay < 0 || issueDay > MAX_ISSUE_DAY) throw new Error('signToken: issue date out of range');

  const body = Buffer.concat([
    Buffer.from([URL_TOKEN_V2, kid.length]),
    kid,
    uuidToBytes(contactId),
    encodeVarint(tokenEpoch),
    Buffer.from([issueDay >> 8, issueDay & 0xff]),
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

type ParsedToken = { kid: string; body: Buffer; mac: Buffer; payload: VerifiedTokenPayload };

function parseToken(token: string): ParsedToken | null {
  const bytes = decodeCanonicalBase64url(token);
  if (!bytes) return null;
  const reader = new ByteReader(bytes);
  const take = (length: number) => reader.take(length);

  const header = take(2);
  const version = header?.[0];
  if (!header || (version !== URL_TOKEN_V1 && version !== URL_TOKEN_V2)) return null;
  const kidBytes = take(header[1] ?? 0);
  const contactId = take(UUID_LENGTH);
  if (!kidBytes || !contactId) return null;

  let tokenEpoch = 0;
  let issuedAt: Date | null = null;
  if (version === URL_TOKEN_V2) {
    const epoch = reader.varint();
    const day = take(2);
    if (epoch === null || !day) return null;
    tokenEpoch = epoch;
    issuedAt = new Date(((day[0] ?? 0) * 256 + (day[1] ?? 0)) * DAY_MS);
  }

  const scopeLength = take(1);
  if (!scopeLength) return null;
  const categoryKeyBytes = take(scopeLength[0] ?? 0);
  if (!categoryKeyBytes) return null;

  const rest = reader.remaining;
  if (rest !== URL_TOKEN_MAC_LENGTH && rest !== UUID_LENGTH + URL_TOKEN_MAC_LENGTH) return null;
  const messageId = rest > URL_TOKEN_MAC_LENGTH ? take(UUID_LENGTH) : null;
  const body = bytes.subarray(0, reader.offset);
  const mac = bytes.subarray(reader.offset);

  const kid = kidBytes.toString('latin1');
  if (!KID.test(kid)) return null;
  const categoryKey = decodeUtf8(categoryKeyBytes);
  if (categoryKey === null) return null;
  const scope: TokenScope =
    categoryKeyBytes.length === 0 ? { kind: 'all-promotional' } : { kind: 'category', categoryKey };

  const payload: VerifiedTokenPayload = { contactId: bytesToUuid(contactId), scope, tokenEpoch, issuedAt };
  if (messageId) payload.messageId = bytesToUuid(messageId);
  return { kid, body, mac, payload };
}
