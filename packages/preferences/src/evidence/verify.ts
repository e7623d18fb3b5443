import { type KeyObject, verify as verifySignature } from 'node:crypto';
import { Prisma, type Db } from '@herald/db';
import { personalHash, rowHash, ZERO_HASH } from './encoding.js';
import { merkleRoot } from './merkle.js';
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

interface Row {
  id: bigint;
  evidence_seq: bigint;
  contact_id: string;
  category_key: string | null;
  action: string;
  source: string;
  occurred_us: bigint;
  message_id: string | null;
  campaign_id: string | null;
  actor: string | null;
  reason: string | null;
  user_agent: string | null;
  ip_hash: string | null;
  prev_hash: Uint8Array;
  personal_hash: Uint8Array;
  row_hash: Uint8Array;
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

const PAGE = 20_000;

/** A Buffer over the same bytes (no copy): the driver's bytea values are Uint8Arrays. */
const view = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * Re-computes, in Node and without trusting the database's hashing, the consent log's chains and
 * anchors for a period: the rows from the last anchor that ended before `from` up to the first
 * anchor that starts after `to` (the newest rows when there is none), and the anchors among them.
 * Each row's personal_hash (while its personal fields are there), its row_hash, and its link to its
 * contact's previous row; each anchor's row count, Merkle root, signature (with `publicKeys`, by key
 * id) and link to the previous anchor. Rows written with the chain trigger off are reported too.
 */
export async function verifyEvidence(
  db: Db,
  options: { from: Date; to: Date; publicKeys: ReadonlyMap<string, KeyObject>; maxProblems?: number },
): Promise<EvidenceReport> {
  const started = performance.now();
  const maxProblems = options.maxProblems ?? 100;
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

  const lastHash = new Map<string, Buffer>();
  let anchorIndex = 0;
  let leaves: Buffer[] = [];
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
    if (leaves.length < anchor.row_count) {
      report({
        kind: 'anchor-rows-missing',
        anchorId,
        detail: `anchor ${anchorId} covers ${anchor.row_count} rows of evidence_seq (${anchor.from_seq}, ${anchor.to_seq}], ${leaves.length} are there`,
      });
    } else if (!merkleRoot(leaves).equals(Buffer.from(anchor.root))) {
      report({
        kind: 'anchor-root',
        anchorId,
        detail: `the ${leaves.length} rows of evidence_seq (${anchor.from_seq}, ${anchor.to_seq}] do not give anchor ${anchorId}'s root (${anchor.row_count} rows anchored)`,
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
    leaves = [];
  };

  // No "($n IS NULL OR …)": a prepared statement's generic plan would scan and sort the whole table
  // for every page instead of walking the evidence_seq index.
  const upperBound = upper === null ? Prisma.empty : Prisma.sql`AND evidence_seq <= ${upper}`;
  const fetchPage = (after: bigint): Promise<Row[]> => {
    const page = db.$queryRaw<Row[]>`
      SELECT id, evidence_seq, contact_id::text, category_key, action::text, source::text,
             (extract(epoch FROM occurred_at) * 1000000)::int8 AS occurred_us,
             message_id::text, campaign_id::text, actor, reason, user_agent, ip_hash,
             prev_hash, personal_hash, row_hash
        FROM consent_log
       WHERE evidence_seq > ${after} ${upperBound}
       ORDER BY evidence_seq
       LIMIT ${PAGE}`;
    // Awaited below; this only keeps a page still loading when a check throws from being unhandled.
    page.catch(() => undefined);
    return page;
  };
  // The next page loads while this one is checked.
  let pending: Promise<Row[]> | null = fetchPage(lower);
  while (pending) {
    const page: Row[] = await pending;
    pending = page.length === PAGE ? fetchPage(page[page.length - 1]!.evidence_seq) : null;
    if (page.length === 0) break;
    // Contacts first met here: their previous row is the last one at or below `lower`.
    const unseen = [...new Set(page.map((row) => row.contact_id).filter((id) => !lastHash.has(id)))];
    if (unseen.length > 0) {
      const predecessors = await db.$queryRaw<{ contact_id: string; row_hash: Uint8Array | null }[]>`
        SELECT c.contact_id::text,
               (SELECT p.row_hash FROM consent_log p
                 WHERE p.contact_id = c.contact_id AND p.evidence_seq <= ${lower}
                 ORDER BY p.evidence_seq DESC LIMIT 1) AS row_hash
          FROM unnest(${unseen}::uuid[]) AS c(contact_id)`;
      for (const predecessor of predecessors) {
        lastHash.set(
          predecessor.contact_id,
          predecessor.row_hash ? Buffer.from(predecessor.row_hash) : ZERO_HASH,
        );
      }
    }
    for (const row of page) {
      while (anchorIndex < anchors.length && row.evidence_seq > anchors[anchorIndex]!.to_seq) {
        closeAnchor(anchors[anchorIndex]!);
        anchorIndex += 1;
      }
      checkRow(row, lastHash, report);
      rows += 1;
      if (anchorIndex < anchors.length) leaves.push(view(row.row_hash));
      else unanchoredRows += 1;
    }
  }
  while (anchorIndex < anchors.length) {
    closeAnchor(anchors[anchorIndex]!);
    anchorIndex += 1;
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

function checkRow(row: Row, lastHash: Map<string, Buffer>, report: (problem: EvidenceProblem) => void): void {
  const where = () => ({
    rowId: row.id.toString(),
    contactId: row.contact_id,
    evidenceSeq: row.evidence_seq.toString(),
  });
  const storedPersonal = view(row.personal_hash);
  const storedRowHash = view(row.row_hash);
  const prevHash = view(row.prev_hash);
  // Erasure clears both personal fields and keeps their hash; while either is there it must match.
  if (
    (row.user_agent !== null || row.ip_hash !== null) &&
    !personalHash(row.user_agent, row.ip_hash).equals(storedPersonal)
  ) {
    report({
      kind: 'personal-data-altered',
      ...where(),
      detail: `row ${row.id}: user_agent or ip_hash do not give its personal_hash`,
    });
  }
  const recomputed = rowHash(prevHash, {
    evidenceSeq: row.evidence_seq,
    id: row.id,
    contactId: row.contact_id,
    categoryKey: row.category_key,
    action: row.action,
    source: row.source,
    occurredAtMicros: row.occurred_us,
    messageId: row.message_id,
    campaignId: row.campaign_id,
    actor: row.actor,
    reason: row.reason,
    personalHash: storedPersonal,
  });
  if (!recomputed.equals(storedRowHash)) {
    report({
      kind: 'row-altered',
      ...where(),
      detail: `row ${row.id}: its fields do not give its row_hash (the row was changed)`,
    });
  }
  const expected = lastHash.get(row.contact_id) ?? ZERO_HASH;
  if (!expected.equals(prevHash)) {
    report({
      kind: 'chain-gap',
      ...where(),
      detail: `row ${row.id}: its prev_hash is not the row_hash of contact ${row.contact_id}'s previous row (rows removed before it)`,
    });
  }
  lastHash.set(row.contact_id, storedRowHash);
}
