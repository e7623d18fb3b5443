import type { ImportPreviewRow, ImportQueryInput, ImportResult, ImportRow } from '@herald/contract';
import { type Db, Prisma, type Tx } from '@herald/db';
import { addressHashes, isPreferencesError, suppressAddress, updatePreferences } from '@herald/preferences';
import { DomainError } from '../core/domain-error.js';
import { recordAudit } from '../core/record-audit.js';
import { uuid7 } from '../core/uuid7.js';
import type { ParsedRow } from './import-rows.js';

/** Rows read before they are applied, and bad rows written, at a time. */
const BATCH = 500;
/** Bad rows the answer lists; every one is kept in import_errors. */
const ANSWERED_ERRORS = 100;
/** Rows the answer previews. */
const PREVIEW_ROWS = 20;

export type Counts = Omit<ImportResult, 'id' | 'dryRun' | 'errors' | 'preview'>;
export type Outcome = 'subscribed' | 'unsubscribed' | 'suppressed' | 'keptUnsubscribed' | 'unchanged';

export const emptyCounts = (): Counts => ({
  rows: 0,
  created: 0,
  updated: 0,
  subscribed: 0,
  unsubscribed: 0,
  suppressed: 0,
  keptUnsubscribed: 0,
  unchanged: 0,
  errorCount: 0,
});

/** Rolls a dry run's row back once its outcome is known. */
class DryRun extends Error {
  constructor(readonly result: RowResult) {
    super('dry run');
  }
}

export interface RowResult {
  contact: 'created' | 'updated' | null;
  outcome: Outcome | null;
}

/** What applying a row needs to know of its import, whichever way the import runs. */
export interface ImportContext {
  id: string;
  actor: string;
  basis: string;
  categories: string[];
  dryRun: boolean;
}

/** The `contacts.imported` audit entry, in the transaction that records the import finished. */
export function recordImportAudit(
  tx: Tx,
  context: Pick<ImportContext, 'id' | 'actor' | 'basis' | 'categories'>,
  counts: Counts,
  extra: Record<string, unknown> = {},
): Promise<void> {
  return recordAudit(tx, {
    actor: context.actor,
    action: 'contacts.imported',
    targetType: 'import',
    targetId: context.id,
    details: {
      basis: context.basis,
      categories: context.categories,
      ...extra,
      ...counts,
    } as unknown as Prisma.InputJsonObject,
  });
}

/** Unknown categories refuse the whole import before a row is read. */
export async function checkCategories(db: Db, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  const found = await db.category.findMany({ where: { key: { in: [...keys] } }, select: { key: true } });
  const known = new Set(found.map((category) => category.key));
  const unknown = keys.filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new DomainError(
      'invalid_request',
      `Unknown category: ${unknown.join(', ')}. Nothing was imported.`,
      {
        categories: unknown,
      },
    );
  }
}

/**
 * Applies the rows as they stream in, a batch at a time, each row in its own transaction; a bad
 * row is recorded by line and never stops the others. A real import leaves an `imports` row, its
 * bad rows in `import_errors` and a `contacts.imported` audit entry; a dry run rolls every row back.
 */
export async function runImport(
  db: Db,
  rows: AsyncIterable<ParsedRow>,
  { actor, query }: { actor: string; query: ImportQueryInput },
): Promise<ImportResult> {
  const context: ImportContext = {
    id: uuid7(),
    actor,
    basis: query.basis,
    categories: query.categories,
    dryRun: query.dryRun,
  };
  const counts = emptyCounts();
  const errors: { line: number; message: string }[] = [];
  const preview: ImportPreviewRow[] = [];
  if (!query.dryRun) {
    // `applying`: held by this request, never taken by a worker; shown as running.
    await db.import.create({
      data: {
        id: context.id,
        actor,
        basis: query.basis,
        categories: query.categories,
        status: 'applying',
        startedAt: new Date(),
      },
    });
  }

  let batch: ParsedRow[] = [];
  const flush = async () => {
    const bad: { line: number; message: string }[] = [];
    for (const parsed of batch) {
      counts.rows++;
      const applied = 'error' in parsed ? parsed.error : await applyRow(db, context, parsed.row);
      if (preview.length < PREVIEW_ROWS) {
        preview.push({
          line: parsed.line,
          email: 'row' in parsed ? parsed.row.email : null,
          status: 'row' in parsed ? parsed.row.status : null,
          outcome: typeof applied === 'string' ? applied : describe(applied),
        });
      }
      if (typeof applied !== 'string') {
        count(counts, applied);
        continue;
      }
      const error = applied;
      const entry = { line: parsed.line, message: error };
      bad.push(entry);
      counts.errorCount++;
      if (errors.length < ANSWERED_ERRORS) errors.push(entry);
    }
    if (bad.length > 0 && !query.dryRun) {
      await db.importError.createMany({ data: bad.map((entry) => ({ importId: context.id, ...entry })) });
    }
    batch = [];
  };
  for await (const parsed of rows) {
    batch.push(parsed);
    if (batch.length >= BATCH) await flush();
  }
  await flush();

  if (!query.dryRun) {
    await db.$transaction(async (tx) => {
      await tx.import.update({
        where: { id: context.id },
        data: {
          status: 'finished',
          counts: counts as unknown as Prisma.InputJsonObject,
          totalRows: counts.rows,
          processedRows: counts.rows,
          finishedAt: new Date(),
        },
      });
      await recordImportAudit(tx, context, counts);
    });
  }
  return { id: context.id, dryRun: query.dryRun, ...counts, errors, preview };
}

/** Adds what a row did to the counts. */
export function count(counts: Counts, result: RowResult): void {
  if (result.contact) counts[result.contact]++;
  if (result.outcome) counts[result.outcome]++;
}

/** A row's result in words: "created, subscribed". */
const describe = (result: RowResult): string =>
  [result.contact, result.outcome].filter(Boolean).join(', ') || 'unchanged';

/**
 * Applies one row, each in its own transaction; answers what it did, or why it could not be applied.
 * `within` runs in the same transaction after the row (a background import marks the row done there).
 */
export async function applyRow(
  db: Db,
  context: ImportContext,
  row: ImportRow,
  within?: (tx: Tx, result: RowResult) => Promise<void>,
): Promise<RowResult | string> {
  try {
    return await db.$transaction(async (tx) => {
      const applied = await applyInTransaction(tx, context, row);
      if (context.dryRun) throw new DryRun(applied);
      await within?.(tx, applied);
      return applied;
    });
  } catch (error) {
    if (error instanceof DryRun) return error.result;
    return rowError(error);
  }
}

function rowError(error: unknown): string {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
    const target = JSON.stringify(error.meta ?? {});
    return target.includes('external') ? 'externalId: another contact already has it' : 'email: conflict';
  }
  if (isPreferencesError(error)) return error.message;
  throw error;
}

async function applyInTransaction(
  tx: Tx,
  { id, actor, basis, categories }: ImportContext,
  row: ImportRow,
): Promise<RowResult> {
  // The address's suppressions, under its keyed or its legacy hash (as read-address-suppressions does).
  const suppressions = await tx.suppression.findMany({
    where: { addressHash: { in: addressHashes(row.email) } },
    select: { reason: true },
  });
  const reasons: string[] = suppressions.map((suppression) => suppression.reason);
  // An erased person's address is only kept as a hash: it never becomes a contact again.
  if (reasons.includes('erasure')) {
    if (row.status === 'suppressed') {
      const { created } = await suppressAddress(tx, suppressOptions(row, id, actor, basis));
      return { contact: null, outcome: created ? 'suppressed' : 'unchanged' };
    }
    return { contact: null, outcome: row.status === 'subscribed' ? 'keptUnsubscribed' : 'unchanged' };
  }

  const { contact, written } = await upsertContact(tx, row);
  const proof = JSON.stringify({
    import: id,
    basis,
    consentedAt: row.consentedAt ?? null,
    source: row.source ?? null,
  });
  let changed = false;
  let kept = false;
  if (row.status === 'subscribed' && categories.length > 0) {
    const refused = reasons.length > 0 || contact.promotionalOptOut;
    const explicitNo = refused
      ? []
      : await tx.preference.findMany({
          where: { contactId: contact.id, categoryKey: { in: categories }, subscribed: false },
          select: { categoryKey: true },
        });
    const no = new Set(explicitNo.map((preference) => preference.categoryKey));
    kept = refused || no.size > 0;
    const wanted = refused ? [] : categories.filter((key) => !no.has(key));
    if (wanted.length > 0) {
      const result = await updatePreferences(tx, {
        contactId: contact.id,
        changes: wanted.map((categoryKey) => ({ categoryKey, subscribed: true })),
        source: 'import',
        actor,
        reason: proof,
      });
      changed = result.changed.length > 0;
    }
  } else if (row.status === 'unsubscribed') {
    const result = await updatePreferences(tx, {
      contactId: contact.id,
      changes: categories.map((categoryKey) => ({ categoryKey, subscribed: false })),
      ...(categories.length === 0 && { allPromotional: false }),
      source: 'import',
      actor,
      reason: proof,
    });
    changed = result.changed.length > 0;
  } else if (row.status === 'suppressed') {
    const { created } = await suppressAddress(tx, {
      ...suppressOptions(row, id, actor, basis),
      contactId: contact.id,
    });
    changed = created;
  }

  // A row that only created or updated its contact is counted as that, not as "unchanged".
  const outcome: Outcome | null = kept
    ? 'keptUnsubscribed'
    : changed
      ? (row.status as Outcome)
      : written
        ? null
        : 'unchanged';
  return { contact: written, outcome };
}

function suppressOptions(row: ImportRow, id: string, actor: string, basis: string) {
  return {
    email: row.email,
    reason: 'manual' as const,
    source: 'api' as const,
    actor,
    detail: `import ${id}: ${row.source ?? basis}`.slice(0, 500),
  };
}

/** By email: a new contact, or the existing one with the row's non-empty fields. */
async function upsertContact(tx: Tx, row: ImportRow) {
  const select = {
    id: true,
    name: true,
    externalId: true,
    locale: true,
    timezone: true,
    attributes: true,
    promotionalOptOut: true,
  } as const;
  const existing = await tx.contact.findUnique({ where: { email: row.email }, select });
  if (!existing) {
    const contact = await tx.contact.create({
      data: {
        email: row.email,
        name: row.name ?? null,
        externalId: row.externalId ?? null,
        ...(row.locale && { locale: row.locale }),
        ...(row.timezone && { timezone: row.timezone }),
        attributes: (row.attributes ?? {}) as Prisma.InputJsonObject,
        // An imported contact receives the promotional categories it was imported with, not the defaults.
        promotionalDefaults: false,
      },
      select,
    });
    return { contact, written: 'created' as const };
  }
  const attributes = { ...(existing.attributes as Record<string, unknown>), ...row.attributes };
  const data = {
    ...(row.name !== undefined && row.name !== existing.name && { name: row.name }),
    ...(row.externalId !== undefined &&
      row.externalId !== existing.externalId && { externalId: row.externalId }),
    ...(row.locale !== undefined && row.locale !== existing.locale && { locale: row.locale }),
    ...(row.timezone !== undefined && row.timezone !== existing.timezone && { timezone: row.timezone }),
    ...(row.attributes &&
      JSON.stringify(attributes) !== JSON.stringify(existing.attributes) && {
        attributes: attributes as Prisma.InputJsonObject,
      }),
  };
  if (Object.keys(data).length === 0) return { contact: existing, written: null };
  const contact = await tx.contact.update({ where: { id: existing.id }, data, select });
  return { contact, written: 'updated' as const };
}
