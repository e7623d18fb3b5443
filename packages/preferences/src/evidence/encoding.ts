import { hash } from 'node:crypto';
import { uuidToBytes } from '../token-encoding.js';

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

/** 0x00 for NULL, else 0x01 and the UUID's 16 bytes. */
export function encodeUuid(value: string | null): Buffer {
  return value === null ? ABSENT : Buffer.concat([PRESENT, uuidToBytes(value)]);
}

export function int8(value: bigint): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64BE(value);
  return bytes;
}

const PERSONAL_PREFIX = Buffer.from('herald-personal-v1', 'utf8');
const ROW_PREFIX = Buffer.from('herald-consent-v1', 'utf8');

/** Writes field(text) at `offset` of `target`; answers the offset after it. */
function writeText(target: Buffer, offset: number, value: string | null, length: number): number {
  if (value === null) {
    target[offset] = 0;
    return offset + 1;
  }
  target[offset] = 1;
  target.writeUInt32BE(length, offset + 1);
  target.write(value, offset + 5, length, 'utf8');
  return offset + 5 + length;
}

const textSize = (value: string | null) => (value === null ? 1 : 5 + Buffer.byteLength(value, 'utf8'));

function writeUuid(target: Buffer, offset: number, value: string | null): number {
  if (value === null) {
    target[offset] = 0;
    return offset + 1;
  }
  target[offset] = 1;
  target.write(value.replace(/-/g, ''), offset + 1, 16, 'hex');
  return offset + 17;
}

/** SHA-256 over 'herald-personal-v1', the user agent and the client address hash (encodeText each). */
export function personalHash(userAgent: string | null, ipHash: string | null): Buffer {
  const userAgentSize = textSize(userAgent);
  const ipHashSize = textSize(ipHash);
  const bytes = Buffer.allocUnsafe(PERSONAL_PREFIX.length + userAgentSize + ipHashSize);
  PERSONAL_PREFIX.copy(bytes, 0);
  const offset = writeText(bytes, PERSONAL_PREFIX.length, userAgent, userAgentSize - 5);
  writeText(bytes, offset, ipHash, ipHashSize - 5);
  return hash('sha256', bytes, 'buffer');
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

/**
 * SHA-256 over 'herald-consent-v1', the previous row's hash, then the row's fields in the documented
 * order. The bytes are laid out in one buffer and hashed in one call (a verifier hashes millions).
 */
export function rowHash(prevHash: Buffer, row: ChainedRow): Buffer {
  const sizes = [row.categoryKey, row.action, row.source, row.actor, row.reason].map(textSize);
  const [categorySize, actionSize, sourceSize, actorSize, reasonSize] = sizes as [
    number,
    number,
    number,
    number,
    number,
  ];
  const uuidSize = (value: string | null) => (value === null ? 1 : 17);
  const bytes = Buffer.allocUnsafe(
    ROW_PREFIX.length +
      32 +
      8 +
      8 +
      16 +
      categorySize +
      actionSize +
      sourceSize +
      8 +
      uuidSize(row.messageId) +
      uuidSize(row.campaignId) +
      actorSize +
      reasonSize +
      32,
  );
  let offset = ROW_PREFIX.copy(bytes, 0);
  offset += prevHash.copy(bytes, offset);
  offset = bytes.writeBigInt64BE(row.evidenceSeq, offset);
  offset = bytes.writeBigInt64BE(row.id, offset);
  offset += bytes.write(row.contactId.replace(/-/g, ''), offset, 16, 'hex');
  offset = writeText(bytes, offset, row.categoryKey, categorySize - 5);
  offset = writeText(bytes, offset, row.action, actionSize - 5);
  offset = writeText(bytes, offset, row.source, sourceSize - 5);
  offset = bytes.writeBigInt64BE(row.occurredAtMicros, offset);
  offset = writeUuid(bytes, offset, row.messageId);
  offset = writeUuid(bytes, offset, row.campaignId);
  offset = writeText(bytes, offset, row.actor, actorSize - 5);
  offset = writeText(bytes, offset, row.reason, reasonSize - 5);
  offset += row.personalHash.copy(bytes, offset);
  return hash('sha256', bytes.subarray(0, offset), 'buffer');
}
