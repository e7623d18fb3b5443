import { hash } from 'node:crypto';
import { createSHA256 } from 'hash-wasm';
import { bytesToUuid } from '../token-encoding.js';
import { perfectSubtrees } from './merkle.js';

/**
 * A verification's rows arrive from PostgreSQL as COPY … TO STDOUT (FORMAT binary) tuples: each an
 * int16 field count, then per field an int32 length (-1 for NULL) and that many bytes, in the
 * server's binary send format. Those bytes are already most of the evidence encoding (decision 023):
 * int8 and uuid values are the bytes int8send and uuid_send give, text is its UTF-8 bytes after a
 * big-endian length. So a row's hash input is laid out by copying, without building a JavaScript
 * object per row, and the check runs on a thread of its own (verify.ts) while PostgreSQL sends more.
 */

/** The columns of COPY_COLUMNS, in order. */
export const COLUMN = {
  id: 0,
  evidenceSeq: 1,
  contactId: 2,
  categoryKey: 3,
  action: 4,
  source: 5,
  occurredAt: 6,
  messageId: 7,
  campaignId: 8,
  actor: 9,
  reason: 10,
  userAgent: 11,
  ipHash: 12,
  prevHash: 13,
  personalHash: 14,
  rowHash: 15,
} as const;
const FIELD_COUNT = 16;

/** What verify.ts selects: text for the enums, every other column in its own type's binary form. */
export const COPY_COLUMNS =
  'id, evidence_seq, contact_id, category_key, action::text, source::text, occurred_at, message_id, ' +
  'campaign_id, actor, reason, user_agent, ip_hash, prev_hash, personal_hash, row_hash';

/** The 11-byte signature, the flags and the header extension's length. */
export const COPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** Where a tuple's fields start, and their lengths (-1: NULL). Reused from tuple to tuple. */
export class TupleFields {
  readonly offsets = new Int32Array(FIELD_COUNT);
  readonly lengths = new Int32Array(FIELD_COUNT);
}

/** The tuple at `start`: the offset after it, INCOMPLETE when `end` cuts it, or TRAILER. */
export function readTuple(bytes: Buffer, start: number, end: number, fields: TupleFields): number {
  if (start + 2 > end) return INCOMPLETE;
  const count = bytes.readInt16BE(start);
  if (count === -1) return TRAILER;
  if (count !== FIELD_COUNT) throw new Error(`a COPY tuple of ${count} fields, ${FIELD_COUNT} expected`);
  let offset = start + 2;
  for (let index = 0; index < FIELD_COUNT; index += 1) {
    if (offset + 4 > end) return INCOMPLETE;
    const length = bytes.readInt32BE(offset);
    offset += 4;
    fields.offsets[index] = offset;
    fields.lengths[index] = length;
    if (length > 0) offset += length;
  }
  return offset > end ? INCOMPLETE : offset;
}
export const INCOMPLETE = -1;
export const TRAILER = -2;

/** The text form of the UUID whose 16 bytes start at `offset`. */
export const uuidAt = (bytes: Buffer, offset: number): string =>
  bytesToUuid(bytes.subarray(offset, offset + 16));

/** An int8 field as a number (exact below 2^53; evidence numbers and ids stay far below). */
export const readInt8 = (bytes: Buffer, offset: number): number =>
  bytes.readInt32BE(offset) * 2 ** 32 + bytes.readUInt32BE(offset + 4);

export interface BatchProblem {
  /** The row's place in its batch. */
  index: number;
  kind: 'personal-data-altered' | 'row-altered';
  rowId: string;
  contactId: string;
  evidenceSeq: string;
}

export interface BatchResult {
  problems: BatchProblem[];
  /** The Merkle subtrees of the batch's rows (when it is in an anchor), largest first. */
  subtrees: { size: number; hash: Uint8Array }[];
}

/**
 * Copies bytes [start, end) of `source` to `target` at `at`; answers the count. A loop for the
 * short fields a row is made of: Buffer#copy's own checks cost more than copying 8 or 32 bytes.
 */
/** Whether `digest` is the 32 bytes at `offset` of `bytes`. */
function equal(digest: Uint8Array, bytes: Uint8Array, offset: number): boolean {
  for (let index = 0; index < 32; index += 1) if (digest[index] !== bytes[offset + index]) return false;
  return true;
}

function copy(source: Uint8Array, start: number, end: number, target: Uint8Array, at: number): number {
  const count = end - start;
  if (count > 64) target.set(source.subarray(start, end), at);
  else for (let index = 0; index < count; index += 1) target[at + index] = source[start + index]!;
  return count;
}

/** SHA-256 of a short input, as one call. */
export type Sha256 = (input: Uint8Array) => Uint8Array;

const nodeSha256: Sha256 = (input) => hash('sha256', input, 'buffer');
let sha256: Sha256 = nodeSha256;

/**
 * Hashes with a WebAssembly SHA-256 (hash-wasm) from now on. A verification makes four hashes of
 * 33 to 200 bytes a row, where node:crypto's one-shot hash costs about 1.3 µs each, nearly all of
 * it the call into C++ and back (the SHA extensions make the hashing itself cheap); the WebAssembly
 * one costs 0.6 to 1 µs. The same bytes either way: the tests check both.
 */
export async function useWasmSha256(): Promise<void> {
  const hasher = await createSHA256();
  sha256 = (input) => hasher.init().update(input).digest('binary');
}

const PERSONAL_PREFIX = Buffer.from('herald-personal-v1', 'utf8');
const ROW_PREFIX = Buffer.from('herald-consent-v1', 'utf8');
/** Microseconds from 1970-01-01 to 2000-01-01, the epoch of PostgreSQL's binary timestamps. */
const POSTGRES_EPOCH_MICROS = 946_684_800_000_000n;

/**
 * Checks `rows` tuples of `bytes`: each row's personal_hash (while its personal fields are there)
 * and row_hash, re-computed from its fields; and, for rows in an anchor, their Merkle leaves as
 * perfect subtrees. A row without a row_hash is left to the unchained-row check.
 */
export function checkBatch(bytes: Buffer, rows: number, withLeaves: boolean): BatchResult {
  const fields = new TupleFields();
  const { offsets, lengths } = fields;
  const problems: BatchProblem[] = [];
  const leaves = withLeaves ? Buffer.allocUnsafe(rows * 32) : null;
  const leafInput = Buffer.allocUnsafe(33);
  leafInput[0] = 0;
  let scratch = Buffer.allocUnsafe(4096);
  let position = 0;
  let leafCount = 0;

  const text = (column: number, at: number): number => {
    const length = lengths[column]!;
    if (length < 0) {
      scratch[at] = 0;
      return at + 1;
    }
    scratch[at] = 1;
    // The length prefix and the bytes, as COPY sent them.
    copy(bytes, offsets[column]! - 4, offsets[column]! + length, scratch, at + 1);
    return at + 5 + length;
  };
  const uuid = (column: number, at: number): number => {
    if (lengths[column]! < 0) {
      scratch[at] = 0;
      return at + 1;
    }
    scratch[at] = 1;
    copy(bytes, offsets[column]!, offsets[column]! + 16, scratch, at + 1);
    return at + 17;
  };
  const problem = (index: number, kind: BatchProblem['kind']) =>
    problems.push({
      index,
      kind,
      rowId: String(readInt8(bytes, offsets[COLUMN.id]!)),
      contactId: uuidAt(bytes, offsets[COLUMN.contactId]!),
      evidenceSeq: String(readInt8(bytes, offsets[COLUMN.evidenceSeq]!)),
    });

  for (let index = 0; index < rows; index += 1) {
    const next = readTuple(bytes, position, bytes.length, fields);
    if (next < 0) throw new Error(`batch of ${rows} rows ends at row ${index}`);
    position = next;
    if (lengths[COLUMN.rowHash] === -1) continue;
    // Room for the longest row: every variable field's bytes plus the fixed part.
    const needed = next - offsets[0]! + 256;
    if (scratch.length < needed) scratch = Buffer.allocUnsafe(needed * 2);

    const hashesWellFormed =
      lengths[COLUMN.prevHash] === 32 &&
      lengths[COLUMN.personalHash] === 32 &&
      lengths[COLUMN.rowHash] === 32;
    if (hashesWellFormed && (lengths[COLUMN.userAgent]! >= 0 || lengths[COLUMN.ipHash]! >= 0)) {
      let at = copy(PERSONAL_PREFIX, 0, PERSONAL_PREFIX.length, scratch, 0);
      at = text(COLUMN.userAgent, at);
      at = text(COLUMN.ipHash, at);
      if (!equal(sha256(scratch.subarray(0, at)), bytes, offsets[COLUMN.personalHash]!)) {
        problem(index, 'personal-data-altered');
      }
    }

    if (!hashesWellFormed) {
      problem(index, 'row-altered');
    } else {
      let at = copy(ROW_PREFIX, 0, ROW_PREFIX.length, scratch, 0);
      at += copy(bytes, offsets[COLUMN.prevHash]!, offsets[COLUMN.prevHash]! + 32, scratch, at);
      at += copy(bytes, offsets[COLUMN.evidenceSeq]!, offsets[COLUMN.evidenceSeq]! + 8, scratch, at);
      at += copy(bytes, offsets[COLUMN.id]!, offsets[COLUMN.id]! + 8, scratch, at);
      at += copy(bytes, offsets[COLUMN.contactId]!, offsets[COLUMN.contactId]! + 16, scratch, at);
      at = text(COLUMN.categoryKey, at);
      at = text(COLUMN.action, at);
      at = text(COLUMN.source, at);
      at = scratch.writeBigInt64BE(
        bytes.readBigInt64BE(offsets[COLUMN.occurredAt]!) + POSTGRES_EPOCH_MICROS,
        at,
      );
      at = uuid(COLUMN.messageId, at);
      at = uuid(COLUMN.campaignId, at);
      at = text(COLUMN.actor, at);
      at = text(COLUMN.reason, at);
      at += copy(bytes, offsets[COLUMN.personalHash]!, offsets[COLUMN.personalHash]! + 32, scratch, at);
      if (!equal(sha256(scratch.subarray(0, at)), bytes, offsets[COLUMN.rowHash]!)) {
        problem(index, 'row-altered');
      }
    }

    if (leaves) {
      copy(bytes, offsets[COLUMN.rowHash]!, offsets[COLUMN.rowHash]! + 32, leafInput, 1);
      leaves.set(sha256(leafInput), leafCount * 32);
      leafCount += 1;
    }
  }
  return { problems, subtrees: leaves ? perfectSubtrees(leaves, leafCount, sha256) : [] };
}
