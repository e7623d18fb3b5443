import {
  encodeCursor,
  type ListSuppressionsInput,
  type SuppressionList,
  type SuppressionReason,
} from '@herald/contract';
import { type Db, Prisma } from '@herald/db';
import { addressHashes } from '@herald/preferences';
import { z } from 'zod';

type Row = {
  id: string;
  address_hash: string;
  reason: SuppressionReason;
  contact_id: string | null;
  detail: string | null;
  created_at: Date;
  contact_email: string | null;
};

/** A partial search looks at no more contacts than this; an operator narrows a broader one. */
const PREFIX_CONTACTS = 1000;
const isAddress = (q: string) => z.email().safeParse(q).success;

/**
 * The suppression list, newest first, a page at a time (keyset on created_at and id). The list is
 * keyed by address hashes, so:
 * - `q` that is a whole address matches its hash, whether or not a contact holds the address;
 * - `q` that is the start of an address matches the hashes of the contacts' addresses that start
 *   so (an address no contact holds is found only whole).
 * An address is shown only when it is known to hash to the row's key: the one searched for, or its
 * contact's while the contact still holds it (a contact whose address changed is not shown as the
 * old one's owner).
 */
export async function listSuppressions(db: Db, input: ListSuppressionsInput): Promise<SuppressionList> {
  const known = new Map<string, string>();
  let hashes: string[] | null = null;
  if (input.q) {
    const remember = (email: string) => {
      for (const hash of addressHashes(email)) known.set(hash, email);
    };
    if (isAddress(input.q)) remember(input.q);
    const prefix = `${input.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const contacts = await db.$queryRaw<{ id: string; email: string }[]>(Prisma.sql`
      SELECT id::text, email FROM contacts WHERE email LIKE ${prefix} ORDER BY email LIMIT ${PREFIX_CONTACTS}`);
    for (const contact of contacts) remember(contact.email);
    hashes = [...known.keys()];
  }

  const rows = await db.$queryRaw<Row[]>(Prisma.sql`
    SELECT s.id::text, s.address_hash, s.reason::text AS reason, s.contact_id::text, s.detail, s.created_at,
           c.email AS contact_email
      FROM suppressions s
      LEFT JOIN contacts c ON c.id = s.contact_id
     WHERE TRUE
       ${input.reason ? Prisma.sql`AND s.reason::text = ${input.reason}` : Prisma.empty}
       ${hashes ? Prisma.sql`AND s.address_hash = ANY(${hashes}::text[])` : Prisma.empty}
       ${
         input.cursor
           ? Prisma.sql`AND (s.created_at, s.id) < (${input.cursor.at}::timestamp, ${input.cursor.id}::uuid)`
           : Prisma.empty
       }
     ORDER BY s.created_at DESC, s.id DESC
     LIMIT ${input.limit}`);

  const suppressions = rows.map((row) => {
    const contactEmail =
      row.contact_email && addressHashes(row.contact_email).includes(row.address_hash)
        ? row.contact_email
        : null;
    return {
      id: row.id,
      email: known.get(row.address_hash) ?? contactEmail,
      addressHash: row.address_hash,
      reason: row.reason,
      contactId: row.contact_id,
      detail: row.detail,
      createdAt: row.created_at.toISOString(),
    };
  });
  const last = rows.at(-1);
  return {
    suppressions,
    next: rows.length === input.limit && last ? encodeCursor({ at: last.created_at, id: last.id }) : null,
  };
}
