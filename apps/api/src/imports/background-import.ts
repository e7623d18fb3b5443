import type { ImportQueryInput, ImportRow, ImportView } from '@herald/contract';
import { type Db, type Import, Prisma } from '@herald/db';
import { uuid7 } from '../core/uuid7.js';
import {
  applyNewAddresses,
  bulkCandidates,
  categoriesToSubscribe,
  type StagedAddress,
} from './apply-new-addresses.js';
import type { ParsedRow } from './import-rows.js';
import {
  applyRow,
  type Counts,
  emptyCounts,
  type ImportContext,
  recordImportAudit,
  type RowResult,
} from './run-import.js';

/** Rows staged per insert. */
const STAGE_BATCH = 5000;

/**
 * Reads a background import's file into import_rows (the valid rows) and import_errors (the bad ones,
 * by line), then queues it for a worker. Until the whole file is read the import is `staging`, which no
 * worker takes: a request that fails half-way (a bad header, a body past the limit, a client gone)
 * leaves nothing behind, since its import is deleted with everything it staged.
 */
export async function stageImport(
  db: Db,
  rows: AsyncIterable<ParsedRow>,
  { actor, query }: { actor: string; query: ImportQueryInput },
): Promise<ImportView> {
  const id = uuid7();
  await db.import.create({
    data: { id, actor, basis: query.basis, categories: query.categories, status: 'staging' },
  });
  // One batch is written while the file's next rows are read: at most one write in flight.
  let writing: Promise<void> = Promise.resolve();
  try {
    const counts = emptyCounts();
    let staged: { line: number; row: ImportRow }[] = [];
    let bad: Prisma.ImportErrorCreateManyInput[] = [];
    const write = async (rows: typeof staged, errors: typeof bad) => {
      // One JSON parameter for the batch: Prisma's createMany binds three parameters a row and
      // spends more time building the statement than PostgreSQL spends running it.
      if (rows.length > 0) {
        await db.$executeRaw`
          INSERT INTO import_rows (import_id, line, row)
          SELECT ${id}::uuid, r.line, r.row
            FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(line int, row jsonb)`;
      }
      if (errors.length > 0) await db.importError.createMany({ data: errors });
    };
    const flush = async () => {
      await writing;
      writing = handled(write(staged, bad));
      staged = [];
      bad = [];
    };
    let total = 0;
    for await (const parsed of rows) {
      counts.rows++;
      if ('error' in parsed) {
        counts.errorCount++;
        bad.push({ importId: id, line: parsed.line, message: parsed.error });
      } else {
        total++;
        staged.push({ line: parsed.line, row: parsed.row });
      }
      if (staged.length + bad.length >= STAGE_BATCH) await flush();
    }
    await flush();
    await writing;
    // Fresh planner statistics for what was just staged: without them a worker's read of its next
    // batch (the first rows not done, by line) was planned as a bitmap scan of every row still
    // pending, then a sort: 270 ms a batch at a million rows, against about 1 ms walking the index.
    await db.$executeRaw`ANALYZE import_rows`;
    const queued = await db.import.update({
      where: { id },
      data: { status: 'queued', totalRows: total, counts: counts as unknown as Prisma.InputJsonObject },
    });
    return importView(queued);
  } catch (error) {
    await writing.catch(() => undefined);
    await db.import.delete({ where: { id } }).catch(() => undefined);
    throw error;
  }
}

/** The import a worker should apply next: queued, or running under a lease that ran out. */
export async function takeImport(db: Db, leaseMs: number): Promise<Import | null> {
  const taken = await db.$queryRaw<{ id: string }[]>`
    UPDATE imports SET status = 'running',
           lease_until = now() + ${leaseMs}::int * interval '1 millisecond',
           started_at = coalesce(started_at, now())
     WHERE id = (
       SELECT id FROM imports
        WHERE status IN ('queued', 'running') AND (lease_until IS NULL OR lease_until < now())
        ORDER BY created_at LIMIT 1
        FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  const id = taken[0]?.id;
  return id ? db.import.findUnique({ where: { id } }) : null;
}

/** Thrown in a row's transaction when another worker applied the row first: rolls it back. */
class AppliedElsewhere extends Error {}

export interface ApplyOptions {
  leaseMs: number;
  /** Rows applied at once (rows for one address always one after the other). */
  concurrency: number;
  /** Rows read and applied per pass, after which the progress is recorded and the lease renewed. */
  batchRows: number;
  /** True when the worker is stopping: the import is left for the next worker to resume. */
  stopping: () => boolean;
}

/**
 * Applies a taken import's staged rows in line order, batch after batch: first the batch's new
 * addresses together (applyNewAddresses), then the rest each in its own transaction that also marks
 * it done. Either way a row is applied and taken off the pending rows in one transaction, so a worker
 * that dies leaves every row applied once or not at all and the next one resumes at the first row
 * still pending. Two batches are applied at once and the next one is read meanwhile. After each
 * batch it records the progress and renews its lease; a lease another worker took over stops it.
 * Answers whether it finished the import.
 */
export async function applyStagedImport(db: Db, taken: Import, options: ApplyOptions): Promise<boolean> {
  const context: ImportContext = {
    id: taken.id,
    actor: taken.actor,
    basis: taken.basis,
    categories: taken.categories,
    dryRun: false,
  };
  // Rows already applied by a worker before this one: marked done, or applied in bulk and counted.
  let processed =
    (await db.importRowStaged.count({ where: { importId: taken.id, done: true } })) + taken.createdInBulk;
  const newContactCategories = await categoriesToSubscribe(db, taken.categories);
  const read = (after: number) => db.$queryRaw<StagedAddress[]>`
    SELECT line, row->>'email' AS email, row->>'status' AS status FROM import_rows
     WHERE import_id = ${taken.id}::uuid AND NOT done AND line > ${after}::int
     ORDER BY line LIMIT ${options.batchRows}::int`;
  /** The rest of a batch, row by row, once its new addresses are in. */
  const applyRest = async (batch: StagedAddress[], applied: Set<number>) => {
    const rest = batch.filter((staged) => !applied.has(staged.line)).map((staged) => staged.line);
    if (rest.length === 0) return;
    const rows = await db.importRowStaged.findMany({
      where: { importId: taken.id, line: { in: rest } },
      orderBy: { line: 'asc' },
      select: { line: true, row: true },
    });
    await applyBatch(
      db,
      context,
      rows.map((staged) => ({ line: staged.line, row: staged.row as unknown as ImportRow })),
      options.concurrency,
    );
  };
  // Two batches are applied side by side, so that PostgreSQL works on one while the worker prepares
  // or finishes the other. Rows for one address stay in line order: the later batch's bulk path
  // leaves out every address the earlier batch holds (those rows take the row path), and its row
  // path starts only once the earlier batch is done.
  let previous: { rows: number; addresses: Set<string>; done: Promise<void> } | undefined;
  let next = handled(read(-1));
  /** Counts a finished batch and renews the lease: false when another worker took the import over. */
  const finished = async (batch: { rows: number; done: Promise<void> }) => {
    await batch.done;
    processed += batch.rows;
    const renewed = await db.import.updateMany({
      where: { id: taken.id, status: 'running' },
      data: { processedRows: processed, leaseUntil: new Date(Date.now() + options.leaseMs) },
    });
    return renewed.count > 0;
  };
  try {
    for (;;) {
      if (options.stopping()) {
        if (previous) await previous.done;
        // Another worker may take it over at once.
        await db.import.updateMany({
          where: { id: taken.id, status: 'running' },
          data: { leaseUntil: null },
        });
        return false;
      }
      const batch = await next;
      const last = batch.at(-1);
      if (!last) break;
      // Read on meanwhile: the next rows are past this batch's, so nothing here touches them.
      next = handled(read(last.line));
      const earlier = previous;
      const candidates = bulkCandidates(batch, earlier?.addresses);
      const done = handled(
        applyNewAddresses(db, context, candidates, newContactCategories).then(async (applied) => {
          await earlier?.done;
          await applyRest(batch, applied);
        }),
      );
      previous = { rows: batch.length, addresses: new Set(batch.map((staged) => staged.email)), done };
      if (earlier && !(await finished(earlier))) return false;
    }
    if (previous && !(await finished(previous))) return false;
  } finally {
    // Whatever stopped the loop, nothing of this import is still being written when it returns.
    await Promise.allSettled([next, previous?.done]);
  }
  await finishImport(db, taken);
  return true;
}

/** The promise itself, marked handled so that a failure while nobody awaits it yet is not fatal. */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** The row-by-row path: each row in a transaction of its own (applyRow). */
async function applyBatch(
  db: Db,
  context: ImportContext,
  batch: { line: number; row: ImportRow }[],
  concurrency: number,
): Promise<void> {
  // Rows for one address run one after the other, in line order; different addresses side by side.
  const byAddress = new Map<string, { line: number; row: ImportRow }[]>();
  for (const staged of batch) {
    const rows = byAddress.get(staged.row.email) ?? [];
    rows.push(staged);
    byAddress.set(staged.row.email, rows);
  }
  const groups = [...byAddress.values()];
  let next = 0;
  const lane = async () => {
    while (next < groups.length) {
      const group = groups[next++] ?? [];
      for (const { line, row } of group) await applyStagedRow(db, context, line, row);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
}

async function applyStagedRow(db: Db, context: ImportContext, line: number, row: ImportRow): Promise<void> {
  const key = { importId: context.id, line, done: false };
  let result: RowResult | string;
  try {
    result = await applyRow(db, context, row, async (tx, applied) => {
      const marked = await tx.importRowStaged.updateMany({
        where: key,
        data: { done: true, contact: applied.contact, outcome: applied.outcome },
      });
      if (marked.count === 0) throw new AppliedElsewhere();
    });
  } catch (error) {
    if (error instanceof AppliedElsewhere) return;
    throw error;
  }
  if (typeof result !== 'string') return;
  // A row the database refused (an externalId another contact has): reported by line, like a bad one.
  await db.$transaction(async (tx) => {
    const marked = await tx.importRowStaged.updateMany({
      where: key,
      data: { done: true, outcome: 'error' },
    });
    if (marked.count > 0)
      await tx.importError.create({ data: { importId: context.id, line, message: result } });
  });
}

/** Counts what the rows did, records the import finished with its audit entry, drops the staged rows. */
async function finishImport(db: Db, taken: Import): Promise<void> {
  const counts: Counts = { ...emptyCounts(), ...(taken.counts as Partial<Counts>) };
  const bulk = await db.import.findUniqueOrThrow({
    where: { id: taken.id },
    select: { createdInBulk: true, subscribedInBulk: true },
  });
  counts.created += bulk.createdInBulk;
  counts.subscribed += bulk.subscribedInBulk;
  const groups = await db.importRowStaged.groupBy({
    by: ['contact', 'outcome'],
    where: { importId: taken.id },
    _count: { _all: true },
  });
  for (const group of groups) {
    const n = group._count._all;
    if (group.contact === 'created' || group.contact === 'updated') counts[group.contact] += n;
    if (group.outcome === 'error') counts.errorCount += n;
    else if (group.outcome && group.outcome in counts) counts[group.outcome as keyof Counts] += n;
  }
  await db.$transaction(async (tx) => {
    const finished = await tx.import.updateMany({
      where: { id: taken.id, status: 'running' },
      data: {
        status: 'finished',
        counts: counts as unknown as Prisma.InputJsonObject,
        processedRows: taken.totalRows,
        finishedAt: new Date(),
        leaseUntil: null,
      },
    });
    if (finished.count === 0) return;
    await tx.importRowStaged.deleteMany({ where: { importId: taken.id } });
    await recordImportAudit(tx, taken, counts, { background: true });
  });
}

export function importView(record: Import, now = Date.now()): ImportView {
  // staging: a background import's file still arriving; applying: a request applying its own rows.
  const status =
    record.status === 'staging'
      ? 'queued'
      : record.status === 'applying'
        ? 'running'
        : (record.status as ImportView['status']);
  const counts = record.counts as unknown as Counts;
  let etaSeconds: number | null = null;
  if (status === 'running' && record.startedAt && record.processedRows > 0) {
    const perRow = (now - record.startedAt.getTime()) / record.processedRows;
    etaSeconds = Math.max(0, Math.round((perRow * (record.totalRows - record.processedRows)) / 1000));
  }
  return {
    id: record.id,
    createdAt: record.createdAt.toISOString(),
    actor: record.actor,
    basis: record.basis,
    categories: record.categories,
    status,
    totalRows: record.totalRows,
    processedRows: record.processedRows,
    etaSeconds,
    counts: status === 'finished' ? { ...emptyCounts(), ...counts } : null,
    startedAt: record.startedAt?.toISOString() ?? null,
    finishedAt: record.finishedAt?.toISOString() ?? null,
  };
}
