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
 * The link in the mail that confirms an opt-in a preference link could not make on its own
 * (link-reach.ts), before base64url:
 *
 *   version (1) = 0x03 | kid length (1) | kid (1-8) | contact id (16) | token epoch (1-5, LEB128)
 *   | expiry (4, seconds since 1970 UTC) | all promotional (1: 0 or 1) | category count (1)
 *   | per category: key length (1) | key (UTF-8) | MAC (16)
 *
 * It names exactly the opt-ins that were asked for, so following it applies those and nothing else.
 * It is short-lived, and revoking the contact's links (its epoch) revokes it too. Its version byte,
 * covered by the MAC, keeps it from passing as a preference link and the other way round.
 */
const CONFIRMATION_VERSION = 0x03;
const MAC_LENGTH = 16;
const KID = /^[a-z0-9]{1,8}$/;

const ConfirmationPayloadSchema = z.object({
  contactId: z.guid(),
  tokenEpoch: z.number().int().min(0).max(0xffffffff),
  /** Promotional categories to subscribe to. */
  categories: z.array(z.string().min(1)).max(255),
  /** Whether to clear the "all promotional" opt-out. */
  allPromotional: z.boolean(),
  expiresAt: z.date(),
});
export type ConfirmationPayload = z.infer<typeof ConfirmationPayloadSchema>;

type ConfirmationVerification =
  | { ok: true; payload: ConfirmationPayload }
  | { ok: false; reason: 'malformed' | 'unknown-key' | 'bad-signature' | 'expired' };

export function signConfirmationToken(payload: ConfirmationPayload, keys: readonly SigningKey[]): string {
  const key = keys[0];
  if (!key) throw new Error('signConfirmationToken: no signing key configured');
  if (!KID.test(key.kid)) throw new Error(`signConfirmationToken: key id "${key.kid}" cannot be verified`);
  const input = ConfirmationPayloadSchema.parse(payload);
  const kid = Buffer.from(key.kid, 'ascii');
  const expiry = Buffer.alloc(4);
  expiry.writeUInt32BE(Math.floor(input.expiresAt.getTime() / 1000));
  const categories = input.categories.map((categoryKey) => {
    const bytes = Buffer.from(categoryKey, 'utf8');
    if (bytes.length > 255) throw new Error('signConfirmationToken: category key is longer than 255 bytes');
    return Buffer.concat([Buffer.from([bytes.length]), bytes]);
  });
  const body = Buffer.concat([
    Buffer.from([CONFIRMATION_VERSION, kid.length]),
    kid,
    uuidToBytes(input.contactId),
    encodeVarint(input.tokenEpoch),
    expiry,
    Buffer.from([input.allPromotional ? 1 : 0, categories.length]),
    ...categories,
  ]);
  return Buffer.concat([body, computeMac(key.secret, body, MAC_LENGTH)]).toString('base64url');
}

/** Never throws. An expired link is told apart, so the page can say to ask again. */
export function verifyConfirmationToken(
  token: string,
  keys: readonly SigningKey[],
  now: Date = new Date(),
): ConfirmationVerification {
  const parsed = parse(token);
  if (!parsed) return { ok: false, reason: 'malformed' };
  const key = keys.find((candidate) => candidate.kid === parsed.kid);
  if (!key) return { ok: false, reason: 'unknown-key' };
  if (!isMacValid(key.secret, parsed.body, parsed.mac)) return { ok: false, reason: 'bad-signature' };
  if (parsed.payload.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, payload: parsed.payload };
}

function parse(token: string) {
  const bytes = decodeCanonicalBase64url(token);
  if (!bytes) return null;
  const reader = new ByteReader(bytes);
  const header = reader.take(2);
  if (!header || header[0] !== CONFIRMATION_VERSION) return null;
  const kid = reader.take(header[1] ?? 0)?.toString('latin1');
  const contactId = reader.take(UUID_LENGTH);
  const tokenEpoch = reader.varint();
  const expiry = reader.take(4);
  const flags = reader.take(2);
  if (!kid || !KID.test(kid) || !contactId || tokenEpoch === null || !expiry || !flags) return null;
  if ((flags[0] ?? 2) > 1) return null;
  const categories: string[] = [];
  for (let index = 0; index < (flags[1] ?? 0); index++) {
    const length = reader.take(1);
    const key = length && reader.take(length[0] ?? 0);
    const text = key && key.length > 0 ? decodeUtf8(key) : null;
    if (text === null) return null;
    categories.push(text);
  }
  if (reader.remaining !== MAC_LENGTH) return null;
  const payload: ConfirmationPayload = {
    contactId: bytesToUuid(contactId),
    tokenEpoch,
    categories,
    allPromotional: flags[0] === 1,
    expiresAt: new Date(expiry.readUInt32BE() * 1000),
  };
  return { kid, body: bytes.subarray(0, reader.offset), mac: bytes.subarray(reader.offset), payload };
}
