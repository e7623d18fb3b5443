import { type KeyObject, sign } from 'node:crypto';
import type { Db } from '@herald/db';
import { ZERO_HASH } from './encoding.js';
import { merkleRoot } from './merkle.js';
import { anchorStatement } from './statement.js';

export interface AnchorSigner {
  privateKey: KeyObject;
  keyId: string;
}

export interface WrittenAnchor {
  id: bigint;
  fromSeq: bigint;
  toSeq: bigint;
  rowCount: number;
  root: Buffer;
  /** The anchor stopped at `maxRows`: rows written before its boundary remain for the next one. */
  more: boolean;
}

/** Anchoring jobs of every worker take turns on this lock (class 1212503603, key 0). */
const ANCHOR_WRITER_LOCK = 1212503603;

/**
 * Signs a Merkle root over the consent-log rows written since the previous anchor, and stores it in
 * evidence_roots. The boundary is read by evidence_boundary() (the migration) under the anchoring
 * lock held exclusively for an instant: every consent write holds it shared to the end of its
 * transaction, so all rows up to the boundary have committed (or rolled back) and no row can later
 * appear below it; the rows are then read in a new statement, which sees them all. Waiting for a
 * long writer is bounded by `lockTimeoutMs` (writers queue behind the waiting anchor meanwhile): on
 * timeout this throws, and the next run tries again, covering everything since the last anchor.
 * An anchor covers at most `maxRows` rows (100,000 by default; the first anchor after the migration
 * would otherwise hold every existing row's hash in the worker's memory at once): a lower boundary
 * keeps the guarantee, since every row below the one read has committed, and `more` says to call
 * again. Answers null when no row was written since the last anchor.
 */
export async function writeAnchor(
  db: Db,
  signer: AnchorSigner,
  options: { lockTimeoutMs?: number; maxRows?: number } = {},
): Promise<WrittenAnchor | null> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(
        `SET LOCAL lock_timeout = '${Math.max(1, options.lockTimeoutMs ?? 2000)}ms'`,
      );
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ANCHOR_WRITER_LOCK}::int4, 0)`;
      const [previous] = await tx.$queryRaw<{ to_seq: bigint; root: Uint8Array; period_end: Date }[]>`
        SELECT to_seq, root, period_end FROM evidence_roots ORDER BY to_seq DESC LIMIT 1`;
      const fromSeq = previous?.to_seq ?? 0n;
      const [boundary] = await tx.$queryRaw<{ boundary: bigint; read_at: Date }[]>`
        SELECT boundary, read_at FROM evidence_boundary()`;
      if (!boundary || boundary.boundary <= fromSeq) return null;
      const maxRows = Math.max(1, options.maxRows ?? 100_000);
      const [capped] = await tx.$queryRaw<{ evidence_seq: bigint }[]>`
        SELECT evidence_seq FROM consent_log
         WHERE evidence_seq > ${fromSeq} AND evidence_seq <= ${boundary.boundary}
         ORDER BY evidence_seq OFFSET ${maxRows - 1} LIMIT 1`;
      const toSeq =
        capped && capped.evidence_seq < boundary.boundary ? capped.evidence_seq : boundary.boundary;
      const rows = await tx.$queryRaw<{ row_hash: Uint8Array }[]>`
        SELECT row_hash FROM consent_log
         WHERE evidence_seq > ${fromSeq} AND evidence_seq <= ${toSeq}
         ORDER BY evidence_seq`;
      const root = merkleRoot(rows.map((row) => Buffer.from(row.row_hash)));
      const prevRoot = previous ? Buffer.from(previous.root) : ZERO_HASH;
      let periodStart = previous?.period_end;
      if (!periodStart) {
        const [first] = await tx.$queryRaw<{ at: Date | null }[]>`
          SELECT min(occurred_at) AS at FROM consent_log WHERE evidence_seq <= ${toSeq}`;
        periodStart = first?.at && first.at < boundary.read_at ? first.at : boundary.read_at;
      }
      const statement = {
        fromSeq,
        toSeq,
        rowCount: rows.length,
        root,
        prevRoot,
        periodStart,
        periodEnd: boundary.read_at,
      };
      const signature = sign(null, anchorStatement(statement), signer.privateKey);
      const [written] = await tx.$queryRaw<{ id: bigint }[]>`
        INSERT INTO evidence_roots (from_seq, to_seq, row_count, root, prev_root, signature, key_id, period_start, period_end)
        VALUES (${fromSeq}, ${statement.toSeq}, ${statement.rowCount}, ${root}, ${prevRoot}, ${signature},
                ${signer.keyId}, ${periodStart}, ${statement.periodEnd})
        RETURNING id`;
      return {
        id: written!.id,
        fromSeq,
        toSeq,
        rowCount: rows.length,
        root,
        more: toSeq < boundary.boundary,
      };
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}
