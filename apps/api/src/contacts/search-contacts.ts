import { type ContactSearchResult, encodeCursor, type SearchContactsInput } from '@herald/contract';
import { type Db, Prisma } from '@herald/db';

type Row = {
  id: string;
  email: string | null;
  name: string | null;
  external_id: string | null;
  locale: string;
  created_at: Date;
  erased_at: Date | null;
};

/** `q` as the start of a LIKE pattern: its own `\`, `%` and `_` match only themselves. */
const prefixPattern = (q: string) => `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The support console's contact search, newest first, a page at a time (keyset on created_at and
 * id, as the suppression list pages). `q` matches, each through an index of its own, so a search
 * stays fast at a million contacts (prisma/migrations/20261209100000_contact_search):
 * - the start of the address (kept lower-cased): `lower(email) LIKE 'q%'` on
 *   `lower(email) text_pattern_ops`;
 * - a whole external id (its unique index);
 * - the start of the name, whatever its case: `lower(name) LIKE 'q%'` on `lower(name) text_pattern_ops`.
 * PostgreSQL combines them with a bitmap OR, then sorts the matches; without `q`, the
 * (created_at, id) index is read backwards. Erased contacts are listed too (no address or name,
 * `erasedAt` set): an agent sees that someone was erased, never who.
 */
export async function searchContacts(db: Db, input: SearchContactsInput): Promise<ContactSearchResult> {
  const q = input.q;
  const match = q
    ? Prisma.sql`AND (lower(c.email) LIKE ${prefixPattern(q.toLowerCase())}
                      OR c.external_id = ${q}
                      OR lower(c.name) LIKE ${prefixPattern(q.toLowerCase())})`
    : Prisma.empty;
  const after = input.cursor
    ? Prisma.sql`AND (c.created_at, c.id) < (${input.cursor.at}::timestamp, ${input.cursor.id}::uuid)`
    : Prisma.empty;
  const rows = await db.$queryRaw<Row[]>(Prisma.sql`
    SELECT c.id::text, c.email, c.name, c.external_id, c.locale, c.created_at, c.erased_at
      FROM contacts c
     WHERE TRUE ${match} ${after}
     ORDER BY c.created_at DESC, c.id DESC
     LIMIT ${input.limit}`);

  const last = rows.at(-1);
  return {
    contacts: rows.map((row) => ({
      id: row.id,
      email: row.email,
      name: row.name,
      externalId: row.external_id,
      locale: row.locale,
      createdAt: row.created_at.toISOString(),
      erasedAt: row.erased_at?.toISOString() ?? null,
    })),
    next: rows.length === input.limit && last ? encodeCursor({ at: last.created_at, id: last.id }) : null,
  };
}
