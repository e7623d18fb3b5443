/** What an anchor's Ed25519 signature is over (decision 023). */
export interface AnchorStatement {
  /** Rows with evidence_seq in (fromSeq, toSeq] are covered. */
  fromSeq: bigint;
  toSeq: bigint;
  rowCount: number;
  root: Buffer;
  prevRoot: Buffer;
  periodStart: Date;
  periodEnd: Date;
}

/**
 * One line of UTF-8: "herald-evidence-root-v1" then from_seq, to_seq, row_count, root and
 * prev_root (lower-case hex), period_start and period_end (ISO 8601, UTC, milliseconds), separated
 * by single spaces.
 */
export function anchorStatement(statement: AnchorStatement): Buffer {
  return Buffer.from(
    [
      'herald-evidence-root-v1',
      statement.fromSeq.toString(),
      statement.toSeq.toString(),
      String(statement.rowCount),
      statement.root.toString('hex'),
      statement.prevRoot.toString('hex'),
      statement.periodStart.toISOString(),
      statement.periodEnd.toISOString(),
    ].join(' '),
    'utf8',
  );
}
