import { createPrismaClient, type Db } from '@herald/db';
import { parseSigningKeys, signToken, type TokenScope } from '@herald/preferences';
import { randomBytes, randomUUID } from 'node:crypto';

export function connect(): Db {
  return createPrismaClient({ databaseUrl: process.env.DATABASE_URL ?? '', maxConnections: 4 });
}

/** A contact with a unique address, so test files can run in parallel on one database. */
export async function createContact(db: Db, label = 'web') {
  const email = `${label}-${randomBytes(6).toString('hex')}@example.test`;
  return db.contact.create({ data: { email, name: 'Robin Example' } });
}

/**
 * A token the web server accepts: signed with the keys of its HERALD_SECRET, today, under epoch 0
 * unless `link` says otherwise (an old link, a revoked one).
 */
export function tokenFor(
  web: { env: Record<string, string> },
  contactId: string,
  scope: TokenScope = { kind: 'category', categoryKey: 'newsletter' },
  messageId: string | undefined = randomUUID(),
  link: { tokenEpoch?: number; issuedAt?: Date } = {},
) {
  const keys = parseSigningKeys(web.env.HERALD_SECRET ?? '');
  return signToken(
    {
      contactId,
      scope,
      ...(messageId ? { messageId } : {}),
      tokenEpoch: link.tokenEpoch ?? 0,
      ...(link.issuedAt && { issuedAt: link.issuedAt }),
    },
    keys,
  );
}

export async function consentLog(db: Db, contactId: string) {
  return db.consentLogEntry.findMany({ where: { contactId }, orderBy: { id: 'asc' } });
}

export async function preferenceRows(db: Db, contactId: string) {
  return db.preference.findMany({ where: { contactId }, orderBy: { categoryKey: 'asc' } });
}
