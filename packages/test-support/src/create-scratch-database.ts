import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** The same server as `url`, another database. */
function withDatabase(url: string, database: string): string {
  const next = new URL(url);
  next.pathname = `/${database}`;
  return next.toString();
}

async function onServer(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A database of its own, copied from `templateUrl`'s database (migrated and seeded once by
 * scripts/test.sh): a copy takes a fraction of a second where migrating takes seconds. PostgreSQL
 * copies a template only while nobody is connected to it, so tests connect to their copy, never to
 * the template.
 */
export async function createScratchDatabase(templateUrl: string, label = 't'): Promise<ScratchDatabase> {
  const template = decodeURIComponent(new URL(templateUrl).pathname.slice(1));
  const name = `herald_${label}_${randomBytes(5).toString('hex')}`;
  // Two copies started at the same instant can see each other as "other users" of the template.
  for (let attempt = 1; ; attempt++) {
    try {
      await onServer(templateUrl, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      break;
    } catch (error) {
      if (attempt >= 20 || !String(error).includes('is being accessed by other users')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
  return {
    name,
    url: withDatabase(templateUrl, name),
    drop: () => onServer(templateUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
