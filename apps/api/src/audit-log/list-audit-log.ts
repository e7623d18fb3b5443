import type { AuditLogEntryView, ListAuditLogInput } from '@herald/contract';
import { type Db, Prisma } from '@herald/db';

type Filters = Omit<ListAuditLogInput, 'limit' | 'format' | 'before'>;

/**
 * "admin:" or "campaign." is a family (prefix); anything else is exact. LIKE's own wildcards in the
 * value are escaped, so a filter means what it says.
 */
function textFilter(column: string, value: string | undefined): Prisma.Sql | null {
  if (value === undefined) return null;
  if (/[:.]$/.test(value)) {
    const pattern = `${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return Prisma.sql`${Prisma.raw(column)} LIKE ${pattern}`;
  }
  return Prisma.sql`${Prisma.raw(column)} = ${value}`;
}

function whereOf(filters: Filters, before?: string): Prisma.Sql {
  const parts = [
    textFilter('actor', filters.actor),
    textFilter('action', filters.action),
    filters.targetType === undefined ? null : Prisma.sql`target_type = ${filters.targetType}`,
    filters.targetId === undefined ? null : Prisma.sql`target_id = ${filters.targetId}`,
    filters.from === undefined ? null : Prisma.sql`occurred_at >= ${filters.from}`,
    filters.to === undefined ? null : Prisma.sql`occurred_at < ${filters.to}`,
    before === undefined ? null : Prisma.sql`id < ${BigInt(before)}`,
  ].filter((part): part is Prisma.Sql => part !== null);
  return parts.length === 0 ? Prisma.sql`TRUE` : Prisma.join(parts, ' AND ');
}

type Row = {
  id: bigint;
  occurred_at: Date;
  actor: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  reason: string | null;
  details: unknown;
};

const toView = (row: Row): AuditLogEntryView => ({
  id: row.id.toString(),
  occurredAt: row.occurred_at.toISOString(),
  actor: row.actor,
  action: row.action,
  targetType: row.target_type,
  targetId: row.target_id,
  reason: row.reason,
  details: row.details,
});

const page = (db: Db, filters: Filters, limit: number, before?: string) =>
  db.$queryRaw<Row[]>`
    SELECT id, occurred_at, actor, action, target_type, target_id, reason, details
      FROM audit_log
     WHERE ${whereOf(filters, before)}
     ORDER BY id DESC
     LIMIT ${limit}`;

/** One page, newest first (ids grow with time): `next` is the id to pass as `before`. */
export async function listAuditLog(
  db: Db,
  { limit, before, format: _format, ...filters }: ListAuditLogInput,
): Promise<{ entries: AuditLogEntryView[]; next: string | null }> {
  const rows = await page(db, filters, limit + 1, before);
  const entries = rows.slice(0, limit).map(toView);
  return { entries, next: rows.length > limit ? (entries.at(-1)?.id ?? null) : null };
}

/** Every matching row, newest first, a page at a time: for a CSV download of any length. */
export async function* eachAuditLogEntry(
  db: Db,
  { limit: _limit, before, format: _format, ...filters }: ListAuditLogInput,
): AsyncGenerator<AuditLogEntryView> {
  let cursor = before;
  for (;;) {
    const rows = await page(db, filters, 1000, cursor);
    for (const row of rows) yield toView(row);
    if (rows.length < 1000) return;
    cursor = (rows.at(-1) as Row).id.toString();
  }
}
