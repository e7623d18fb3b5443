import { createPrismaClient, type Db } from '@herald/db';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { DATABASE_URL } from './harness.js';

const ROOT = new URL('../../../../', import.meta.url);
const MIGRATIONS = new URL('prisma/migrations/', ROOT);

export interface ScratchDatabase {
  url: string;
  /** A client for the test's own reads and writes. */
  db: Db;
  drop(): Promise<void>;
}

function urlFor(database: string): string {
  const url = new URL(DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * A migrated and seeded database of the test's own. Policy announcements reach every contact in the
 * database, so a test that counts them needs a database no other test file writes contacts into
 * (and whose queued messages no other test file's worker reconciles into its own queue).
 */
export async function createScratchDatabase(label: string): Promise<ScratchDatabase> {
  const name = `herald_${label}_${randomBytes(5).toString('hex')}`;
  const admin = createPrismaClient({ databaseUrl: urlFor('postgres'), maxConnections: 1 });
  await admin.$executeRawUnsafe(`CREATE DATABASE "${name}"`);
  const url = urlFor(name);
  const db = createPrismaClient({ databaseUrl: url, maxConnections: 4 });
  const migrations = readdirSync(MIGRATIONS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  for (const migration of migrations) {
    await db.$executeRawUnsafe(readFileSync(new URL(`${migration}/migration.sql`, MIGRATIONS), 'utf8'));
  }
  // The seed as `npx prisma db seed` runs it: the standard categories and templates.
  await promisify(execFile)(process.execPath, ['--import', 'tsx', 'prisma/seed.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url },
  });
  return {
    url,
    db,
    async drop() {
      await db.$disconnect();
      await admin.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.$disconnect();
    },
  };
}
