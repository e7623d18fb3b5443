import { type KeyObject, verify as verifySignature } from 'node:crypto';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Db } from '@herald/db';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import {
  type BatchResult,
  checkBatch,
  COLUMN,
  COPY_COLUMNS,
  COPY_SIGNATURE,
  INCOMPLETE,
  readInt8,
  readTuple,
  TRAILER,
  TupleFields,
  uuidAt,
} from './check-batch.js';
import { uuidToBytes } from '../token-encoding.js';
import { ChainHeads } from './chain-heads.js';
import { ZERO_HASH } from './encoding.js';
import { MerkleAccumulator } from './merkle.js';
import { anchorStatement } from './statement.js';

export type EvidenceProblemKind =
  /** The row's fields (or its stored hashes) no longer give its row_hash. */
  | 'row-altered'
  /** The stored user agent or client address hash no longer give the row's personal_hash. */
  | 'personal-data-altered'
  /** A row without evidence columns: written with the chain trigger off. */
  | 'unchained-row'
  /** The row's prev_hash is not its predecessor's row_hash: rows removed before it (or the predecessor replaced). */
  | 'chain-gap'
  /** An anchor covers more rows than are there. */
  | 'anchor-rows-missing'
  /** The rows an anchor covers do not give its root. */
  | 'anchor-root'
  | 'anchor-signature'
  | 'anchor-unknown-key'
  /** An anchor does not follow the previous one (an anchor removed, or its range or prev_root changed). */
  | 'anchor-chain';

export interface EvidenceProblem {
  kind: EvidenceProblemKind;
  rowId?: string;
  contactId?: string;
  evidenceSeq?: string;
  anchorId?: string;
  detail: string;
}

export interface EvidenceReport {
  ok: boolean;
  from: string;
  to: string;
  /** Rows checked: evidence_seq in (fromSeq, toSeq or the newest]. */
  fromSeq: string;
  toSeq: string | null;
  rows: number;
  anchors: number;
  /** Rows checked that no anchor covers yet (written after the newest anchor). */
  unanchoredRows: number;
  /** The first problem in evidence order (rows and anchors interleaved), or null. */
  firstProblem: EvidenceProblem | null;
  /** Missing rows: broken links and anchors with fewer rows than they cover. */
  gaps: EvidenceProblem[];
  /** Every problem, in evidence order, up to `maxProblems`. */
  problems: EvidenceProblem[];
  problemCount: number;
  seconds: number;
}

interface Anchor {
  id: bigint;
  from_seq: bigint;
  to_seq: bigint;
  row_count: number;
  root: Uint8Array;
  prev_root: Uint8Array;
  signature: Uint8Array;
  key_id: string;
  period_start: Date;
  period_end: Date;
}

export interface VerifyEvidenceOptions {
  /** The database the rows are read from with COPY (the same one as `db`). */
  databaseUrl: string;
  from: Date;
  to: Date;
  publicKeys: ReadonlyMap<string, KeyObject>;
  maxProblems?: number;
  /** Checking threads beside the reading one: two by default (one on a single core; 0 checks on this thread). */
  threads?: number;
  /** Rows per batch handed to a thread: a power of two (4,096 by default). */
  batchRows?: number;
  /** Told the rows checked so far after each batch (a long verification shows its progress). */
  onProgress?: (rowsChecked: number) => void;
}

/** A broken link, at its row's place in its batch. */
interface BatchGap {
  index: number;
  problem: EvidenceProblem;
}

/** A problem's order inside one row, as the checks run. */
const ROW_PROBLEM_ORDER = { 'personal-data-altered': 0, 'row-altered': 1, 'chain-gap': 2 } as const;

/**
 * Re-computes, in Node and without trusting the database's hashing, the consent log's chains and
 * anchors for a period: the rows from the last anchor that ended before `from` up to the first
 * anchor that starts after `to` (the newest rows when there is none), and the anchors among them.
 * Each row's personal_hash (while its personal fields are there), its row_hash, and its link to its
 * contact's previous row; each anchor's row count, Merkle root, signature (with `publicKeys`, by key
 * id) and link to the previous anchor. Rows written with the chain trigger off are reported too.
 *
 * The rows stream from PostgreSQL as binary COPY in evidence order. This thread cuts them into
 * batches (aligned on the anchors' Merkle subtrees) and follows the chains, which only compares
 * stored hashes, one per contact kept in a flat buffer; threads re-compute the hashes of the batches,
 * the bulk of the work, while PostgreSQL sends the next ones (decision 023 has the figures).
 */
export async function verifyEvidence(db: Db, options: VerifyEvidenceOptions): Promise<EvidenceReport> {
  const started = performance.now();
  const maxProblems = options.maxProblems ?? 100;
  const batchRows = options.batchRows ?? 4096;
  if (!Number.isInteger(Math.log2(batchRows)))
    throw new Error(`batchRows must be a power of two, not ${batchRows}`);
  const problems: EvidenceProblem[] = [];
  let problemCount = 0;
  const report = (problem: EvidenceProblem) => {
    problemCount += 1;
    if (problems.length < maxProblems) problems.push(problem);
  };

  const [range] = await db.$queryRaw<{ lower: bigint; upper: bigint | null }[]>`
    SELECT COALESCE((SELECT max(to_seq) FROM evidence_roots WHERE period_end < ${options.from}), 0)::int8 AS lower,
           (SELECT min(from_seq) FROM evidence_roots WHERE period_start > ${options.to})::int8 AS upper`;
  const lower = range?.lower ?? 0n;
  const upper = range?.upper ?? null;
  const anchors = await db.$queryRaw<Anchor[]>`
    SELECT id, from_seq, to_seq, row_count, root, prev_root, signature, key_id, period_start, period_end
      FROM evidence_roots
     WHERE to_seq >= ${lower} AND (${upper}::int8 IS NULL OR to_seq <= ${upper}::int8)
     ORDER BY to_seq`;
  // The anchor ending at `lower` (if any) is only the predecessor of the first one checked.
  let previousAnchor = anchors[0]?.to_seq === lower ? anchors.shift() : undefined;
  if (!previousAnchor && lower > 0n) {
    report({ kind: 'anchor-chain', detail: `no anchor ends at evidence_seq ${lower}` });
  }
  const anchorEnds = anchors.map((anchor) => Number(anchor.to_seq));

  const unchained = await db.$queryRaw<{ id: bigint; contact_id: string }[]>`
    SELECT id, contact_id::text FROM consent_log WHERE row_hash IS NULL OR evidence_seq IS NULL ORDER BY id LIMIT 100`;
  for (const row of unchained) {
    report({
      kind: 'unchained-row',
      rowId: row.id.toString(),
      contactId: row.contact_id,
      detail: 'the row has no evidence columns: it was written with the chain trigger off',
    });
  }

  let merkle = new MerkleAccumulator();
  let anchorsClosed = 0;
  let rows = 0;
  let unanchoredRows = 0;

  const closeAnchor = (anchor: Anchor) => {
    const anchorId = anchor.id.toString();
    const expectedPrevRoot = previousAnchor ? Buffer.from(previousAnchor.root) : ZERO_HASH;
    if (
      (previousAnchor ? previousAnchor.to_seq : 0n) !== anchor.from_seq ||
      !expectedPrevRoot.equals(Buffer.from(anchor.prev_root))
    ) {
      report({
        kind: 'anchor-chain',
        anchorId,
        detail: `anchor ${anchorId} (evidence_seq ${anchor.from_seq}–${anchor.to_seq}] does not follow the previous anchor${previousAnchor ? ` ${previousAnchor.id} (to ${previousAnchor.to_seq})` : ''}: an anchor is missing or was changed`,
      });
    }
    if (merkle.leaves < anchor.row_count) {
      report({
        kind: 'anchor-rows-missing',
        anchorId,
        detail: `anchor ${anchorId} covers ${anchor.row_count} rows of evidence_seq (${anchor.from_seq}, ${anchor.to_seq}], ${merkle.leaves} are there`,
      });
    } else if (!merkle.root().equals(Buffer.from(anchor.root))) {
      report({
        kind: 'anchor-root',
        anchorId,
        detail: `the ${merkle.leaves} rows of evidence_seq (${anchor.from_seq}, ${anchor.to_seq}] do not give anchor ${anchorId}'s root (${anchor.row_count} rows anchored)`,
      });
    }
    const key = options.publicKeys.get(anchor.key_id);
    if (!key) {
      report({
        kind: 'anchor-unknown-key',
        anchorId,
        detail: `anchor ${anchorId} is signed by unknown key ${anchor.key_id}`,
      });
    } else {
      const statement = anchorStatement({
        fromSeq: anchor.from_seq,
        toSeq: anchor.to_seq,
        rowCount: anchor.row_count,
        root: Buffer.from(anchor.root),
        prevRoot: Buffer.from(anchor.prev_root),
        periodStart: anchor.period_start,
        periodEnd: anchor.period_end,
      });
      if (!verifySignature(null, statement, key, Buffer.from(anchor.signature))) {
        report({
          kind: 'anchor-signature',
          anchorId,
          detail: `anchor ${anchorId}'s signature does not verify with key ${anchor.key_id}`,
        });
      }
    }
    previousAnchor = anchor;
    merkle = new MerkleAccumulator();
  };

  const heads = new ChainHeads();
  // The stream's tuple as it arrives, and a batch's tuples when walked again at its end.
  const fields = new TupleFields();
  const batchFields = new TupleFields();

  /** Contacts first met in a batch: their previous row is the last one at or below `lower` (zero when none). */
  const loadPredecessors = async (bytes: Buffer, count: number) => {
    const unseen = new Set<string>();
    for (let index = 0, position = 0; index < count; index += 1) {
      position = readTuple(bytes, position, bytes.length, batchFields);
      if (heads.find(bytes, batchFields.offsets[COLUMN.contactId]!) < 0) {
        unseen.add(uuidAt(bytes, batchFields.offsets[COLUMN.contactId]!));
      }
    }
    if (unseen.size === 0) return;
    const ids = [...unseen];
    const predecessors = await db.$queryRaw<{ contact_id: string; row_hash: Uint8Array | null }[]>`
      SELECT c.contact_id::text,
             (SELECT p.row_hash FROM consent_log p
               WHERE p.contact_id = c.contact_id AND p.evidence_seq <= ${lower}
               ORDER BY p.evidence_seq DESC LIMIT 1) AS row_hash
        FROM unnest(${ids}::uuid[]) AS c(contact_id)`;
    for (const predecessor of predecessors) {
      const slot = heads.slot(uuidToBytes(predecessor.contact_id), 0);
      if (predecessor.row_hash) heads.set(slot, predecessor.row_hash, 0);
    }
  };

  /**
   * The tuple `fields` was just read from: its prev_hash against its contact's last row_hash, then
   * its row_hash as the contact's last. A broken link goes to `gaps` as the batch's row `index`.
   */
  const linkRow = (bytes: Buffer, { offsets, lengths }: TupleFields, index: number, gaps: BatchGap[]) => {
    if (lengths[COLUMN.rowHash] !== 32) return;
    const slot = heads.slot(bytes, offsets[COLUMN.contactId]!);
    if (lengths[COLUMN.prevHash] !== 32 || !heads.matches(slot, bytes, offsets[COLUMN.prevHash]!)) {
      const rowId = String(readInt8(bytes, offsets[COLUMN.id]!));
      const contactId = uuidAt(bytes, offsets[COLUMN.contactId]!);
      gaps.push({
        index,
        problem: {
          kind: 'chain-gap',
          rowId,
          contactId,
          evidenceSeq: String(readInt8(bytes, offsets[COLUMN.evidenceSeq]!)),
          detail: `row ${rowId}: its prev_hash is not the row_hash of contact ${contactId}'s previous row (rows removed before it)`,
        },
      });
    }
    heads.set(slot, bytes, offsets[COLUMN.rowHash]!);
  };
  /** A whole batch's links, once its contacts' rows before the period are loaded. */
  const followChains = (bytes: Buffer, count: number) => {
    const gaps: BatchGap[] = [];
    for (let index = 0, position = 0; index < count; index += 1) {
      position = readTuple(bytes, position, bytes.length, batchFields);
      linkRow(bytes, batchFields, index, gaps);
    }
    return gaps;
  };
  // From the start of the log every chain starts in the period, so links are followed as rows
  // arrive; otherwise at each batch, after loading its new contacts' last rows before the period.
  const linkOnArrival = lower === 0n;
  let arrivalGaps: BatchGap[] = [];

  interface Flushed {
    anchorIndex: number;
    rows: number;
    gaps: BatchGap[];
    result: Promise<BatchResult>;
  }
  const pool = new CheckPool(options.threads ?? Math.min(2, availableParallelism()));
  const inFlight: Flushed[] = [];
  const maxInFlight = Math.max(2, pool.size * 4);

  /** Takes the oldest batch's results, in evidence order: anchors it passed, then its rows' problems. */
  const settle = async (flushed: Flushed) => {
    const result = await flushed.result;
    while (anchorsClosed < Math.min(flushed.anchorIndex, anchors.length)) {
      closeAnchor(anchors[anchorsClosed]!);
      anchorsClosed += 1;
    }
    const rowProblems = [
      ...result.problems.map(({ index, kind, rowId, contactId, evidenceSeq }) => ({
        index,
        problem: {
          kind,
          rowId,
          contactId,
          evidenceSeq,
          detail:
            kind === 'row-altered'
              ? `row ${rowId}: its fields do not give its row_hash (the row was changed)`
              : `row ${rowId}: user_agent or ip_hash do not give its personal_hash`,
        } satisfies EvidenceProblem,
      })),
      ...flushed.gaps,
    ].sort(
      (a, b) =>
        a.index - b.index ||
        ROW_PROBLEM_ORDER[a.problem.kind as keyof typeof ROW_PROBLEM_ORDER] -
          ROW_PROBLEM_ORDER[b.problem.kind as keyof typeof ROW_PROBLEM_ORDER],
    );
    for (const { problem } of rowProblems) report(problem);
    for (const subtree of result.subtrees) {
      merkle.push(
        subtree.size,
        Buffer.from(subtree.hash.buffer, subtree.hash.byteOffset, subtree.hash.byteLength),
      );
    }
    rows += flushed.rows;
    if (flushed.anchorIndex >= anchors.length) unanchoredRows += flushed.rows;
    options.onProgress?.(rows);
  };

  // The batch being gathered: byte ranges of the COPY stream's chunks, all in one anchor.
  let parts: [Buffer, number, number][] = [];
  let partBytes = 0;
  let batchCount = 0;
  let batchAnchor = 0;
  const flush = async () => {
    if (batchCount === 0) return;
    // A buffer of its own (never a slice of the shared pool): it is handed to a thread.
    const bytes = Buffer.from(new ArrayBuffer(partBytes));
    let at = 0;
    for (const [chunk, start, end] of parts) at += chunk.copy(bytes, at, start, end);
    let gaps = arrivalGaps;
    arrivalGaps = [];
    if (!linkOnArrival) {
      await loadPredecessors(bytes, batchCount);
      gaps = followChains(bytes, batchCount);
    }
    inFlight.push({
      anchorIndex: batchAnchor,
      rows: batchCount,
      gaps,
      result: pool.check(bytes, batchCount, batchAnchor < anchors.length),
    });
    parts = [];
    partBytes = 0;
    batchCount = 0;
    while (inFlight.length > maxInFlight) await settle(inFlight.shift()!);
  };

  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    const stream = client.query(
      copyTo(
        `COPY (SELECT ${COPY_COLUMNS} FROM consent_log
                WHERE evidence_seq > ${lower}${upper === null ? '' : ` AND evidence_seq <= ${upper}`}
                ORDER BY evidence_seq) TO STDOUT (FORMAT binary)`,
      ),
    );
    let carry: Buffer | null = null;
    let headerRead = false;
    let anchorIndex = 0;
    let inAnchor = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const bytes: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
      let position = 0;
      if (!headerRead) {
        if (bytes.length < 19) {
          carry = bytes;
          continue;
        }
        if (!bytes.subarray(0, 11).equals(COPY_SIGNATURE)) throw new Error('not a binary COPY stream');
        position = 19 + bytes.readInt32BE(15);
        headerRead = true;
      }
      for (;;) {
        const next = readTuple(bytes, position, bytes.length, fields);
        if (next === INCOMPLETE) break;
        if (next === TRAILER) {
          position = bytes.length;
          break;
        }
        const seq = readInt8(bytes, fields.offsets[COLUMN.evidenceSeq]!);
        let passed = false;
        while (anchorIndex < anchors.length && seq > anchorEnds[anchorIndex]!) {
          anchorIndex += 1;
          passed = true;
        }
        // A batch stays in one anchor and starts at a multiple of batchRows of it: its leaves are
        // whole subtrees of the anchor's tree.
        if (passed || inAnchor === batchRows) {
          await flush();
          if (passed) inAnchor = 0;
          inAnchor %= batchRows;
        }
        batchAnchor = anchorIndex;
        if (linkOnArrival) linkRow(bytes, fields, batchCount, arrivalGaps);
        const last = parts.at(-1);
        if (last && last[0] === bytes && last[2] === position) last[2] = next;
        else parts.push([bytes, position, next]);
        partBytes += next - position;
        batchCount += 1;
        inAnchor += 1;
        position = next;
      }
      carry = position < bytes.length ? bytes.subarray(position) : null;
    }
    await flush();
    while (inFlight.length > 0) await settle(inFlight.shift()!);
  } finally {
    // Settle what is still in flight (a failed read), so no thread's answer is left unhandled.
    await Promise.allSettled(inFlight.map((flushed) => flushed.result));
    await pool.close();
    await client.end();
  }
  while (anchorsClosed < anchors.length) {
    closeAnchor(anchors[anchorsClosed]!);
    anchorsClosed += 1;
  }

  const gaps = problems.filter(
    (problem) => problem.kind === 'chain-gap' || problem.kind === 'anchor-rows-missing',
  );
  return {
    ok: problemCount === 0,
    from: options.from.toISOString(),
    to: options.to.toISOString(),
    fromSeq: lower.toString(),
    toSeq: upper?.toString() ?? null,
    rows,
    anchors: anchors.length,
    unanchoredRows,
    firstProblem: problems[0] ?? null,
    gaps,
    problems,
    problemCount,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The compiled thread script beside this module, or its source where the package runs from TypeScript (tests). */
const COMPILED_THREAD = new URL('./verify-thread.js', import.meta.url);
const SOURCE_THREAD = new URL('./verify-thread.ts', import.meta.url);

/**
 * Threads checking batches (checkBatch), each batch answered in the order sent. The first batch is
 * checked on the calling thread: a short period (an API call over a day) never starts a thread.
 */
class CheckPool {
  private readonly threads: Worker[] = [];
  private readonly pending = new Map<
    number,
    { resolve: (result: BatchResult) => void; reject: (error: Error) => void }
  >();
  private nextId = 0;
  private calls = 0;

  constructor(readonly size: number) {}

  check(bytes: Buffer, rows: number, withLeaves: boolean): Promise<BatchResult> {
    this.calls += 1;
    if (this.size === 0 || this.calls === 1) {
      try {
        return Promise.resolve(checkBatch(bytes, rows, withLeaves));
      } catch (error) {
        return Promise.reject(error as Error);
      }
    }
    if (this.threads.length === 0) {
      for (let index = 0; index < this.size; index += 1) this.threads.push(this.start());
    }
    const id = this.nextId++;
    const thread = this.threads[id % this.threads.length]!;
    return new Promise<BatchResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      thread.postMessage({ id, bytes, rows, withLeaves }, [bytes.buffer as ArrayBuffer]);
    });
  }

  private start(): Worker {
    const thread = existsSync(fileURLToPath(COMPILED_THREAD))
      ? new Worker(COMPILED_THREAD)
      : // From TypeScript sources: tsx's loader, registered in the thread before the script loads.
        new Worker(
          `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(SOURCE_THREAD.href)}); })`,
          { eval: true },
        );
    thread.on('message', ({ id, result, error }: { id: number; result?: BatchResult; error?: string }) => {
      const waiting = this.pending.get(id);
      this.pending.delete(id);
      if (error !== undefined) waiting?.reject(new Error(`evidence check thread: ${error}`));
      else waiting?.resolve(result!);
    });
    const fail = (error: Error) => {
      for (const [id, waiting] of this.pending) {
        if (id % this.threads.length === this.threads.indexOf(thread)) {
          this.pending.delete(id);
          waiting.reject(error);
        }
      }
    };
    thread.on('error', fail);
    thread.on('exit', (code) => fail(new Error(`evidence check thread exited with code ${code}`)));
    return thread;
  }

  async close(): Promise<void> {
    const threads = this.threads.splice(0);
    await Promise.all(threads.map((thread) => thread.terminate()));
  }
}
