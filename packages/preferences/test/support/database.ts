import { randomBytes, randomUUID } from 'node:crypto';
import { createPrismaClient, type Db } from '@herald/db';

export const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/herald_test';

export function connect(): Db {
  return createPrismaClient({ databaseUrl, maxConnections: 12 });
}

/** Test files share one database and run in parallel: every name is unique. */
export function uniqueKey(prefix = 't'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

export function uniqueEmail(): string {
  return `${uniqueKey('contact')}@Example.test`;
}

export type CategoryFixture = { key: string; required: boolean; defaultSubscribed: boolean };

export async function createCategory(
  db: Db,
  options: { class: 'transactional' | 'promotional'; required?: boolean; defaultSubscribed?: boolean },
): Promise<CategoryFixture> {
  const key = uniqueKey(options.class === 'promotional' ? 'promo' : 'tx');
  const category = await db.category.create({
    data: {
      key,
      name: `Category ${key}`,
      description: `Test category ${key}`,
      class: options.class,
      required: options.required ?? false,
      defaultSubscribed: options.defaultSubscribed ?? true,
    },
  });
  return { key: category.key, required: category.required, defaultSubscribed: category.defaultSubscribed };
}

export async function createContact(db: Db, options: { email?: string | null } = {}) {
  const email = options.email === undefined ? uniqueEmail().toLowerCase() : options.email;
  return db.contact.create({
    data: {
      email,
      name: 'Ada Lovelace',
      externalId: randomUUID(),
      attributes: { plan: 'pro' },
      locale: 'fr',
      timezone: 'Europe/Paris',
    },
  });
}

export async function consentLog(db: Db, contactId: string) {
  return db.consentLogEntry.findMany({ where: { contactId }, orderBy: { id: 'asc' } });
}

export async function preferenceRows(db: Db, contactId: string) {
  return db.preference.findMany({ where: { contactId }, orderBy: { categoryKey: 'asc' } });
}
