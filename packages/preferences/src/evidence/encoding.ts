import { createHash } from 'node:crypto';

/**
 * The consent log's evidence encodings, byte for byte those of the database trigger (migration
 * 20270102090000_consent_evidence; decision 023). Computed here independently, so a verifier need
 * not trust the database's own hashing.
 */

export const ZERO_HASH: Buffer = Buffer.alloc(32);

const ABSENT = Buffer.from([0]);
const PRESENT = Buffer.from([1]);

/** 0x00 for NULL, else 0x01, the UTF-8 length as a 4-byte big-endian integer, the UTF-8 bytes. */
export function encodeText(value: string | null): Buffer {
  if (value === null) return ABSENT;
  const bytes = Buffer.from(value, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([PRESENT, length, bytes]);
}

/** The 16 bytes of a UUID ("8-4-4-4-12" hex). */
export function uuidBytes(value: string): Buffer {
  return Buffer.from(value.replace(/-/g, ''), 'hex');
}

/** 0x00 for NULL, else 0x01 and the UUID's 16 bytes. */
export function encodeUuid(value: string | null): Buffer {
  return value === null ? ABSENT : Buffer.concat([PRESENT, uuidBytes(value)]);
}

export function int8(value: bigint): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64BE(value);
  return bytes;
}

/** SHA-256 over 'herald-personal-v1', the user agent and the client address hash (encodeText each). */
export function personalHash(userAgent: string | null, ipHash: string | null): Buffer {
  return createHash('sha256')
    .update('herald-personal-v1')
    .update(encodeText(userAgent))
    .update(encodeText(ipHash))
    .digest();
}

/** The fields of a consent-log row that its row_hash covers. */
export interface ChainedRow {
  evidenceSeq: bigint;
  id: bigint;
  contactId: string;
  categoryKey: string | null;
  action: string;
  source: string;
  /** occurred_at in microseconds since 1970-01-01T00:00:00Z. */
  occurredAtMicros: bigint;
  messageId: string | null;
  campaignId: string | null;
  actor: string | null;
  reason: string | null;
  personalHash: Buffer;
}

/** SHA-256 over 'herald-consent-v1', the previous row's hash, then the row's fields in the documented order. */
export function rowHash(prevHash: Buffer, row: ChainedRow): Buffer {
  return createHash('sha256')
    .update('herald-consent-v1')
    .update(prevHash)
    .update(int8(row.evidenceSeq))
    .update(int8(row.id))
    .update(uuidBytes(row.contactId))
    .update(encodeText(row.categoryKey))
    .update(encodeText(row.action))
    .update(encodeText(row.source))
    .update(int8(row.occurredAtMicros))
    .update(encodeUuid(row.messageId))
    .update(encodeUuid(row.campaignId))
    .update(encodeText(row.actor))
    .update(encodeText(row.reason))
    .update(row.personalHash)
    .digest();
}
