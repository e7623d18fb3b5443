import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import pg from 'pg';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const schemaPath = join(repoRoot, 'prisma', 'schema.prisma');
export const migrationsPath = join(repoRoot, 'prisma', 'migrations');
export const standInPath = join(repoRoot, 'prisma', 'engine', 'schema-engine.mjs');
const configPath = join(repoRoot, 'prisma.config.ts');
const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');

/** The PostgreSQL server the tests use; only its host, port and credentials are taken. */
function serverUrl(): URL {
  return new URL(
    process.env.TEST_DATABASE_URL ??
      process.env.DATABASE_URL ??
      'postgresql://postgres@127.0.0.1:5432/postgres',
  );
}

function urlFor(database: string): string {
  const url = serverUrl();
  url.pathname = `/${database}`;
  url.search = '';
  return url.toString();
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: urlFor('postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A database name nobody else uses; `create: false` leaves creating it to the code under test. */
export async function scratchDatabase({ create = true } = {}): Promise<ScratchDatabase> {
  const name = `herald_db_test_${randomBytes(6).toString('hex')}`;
  if (create) await adminQuery(`CREATE DATABASE "${name}"`);
  return {
    name,
    url: urlFor(name),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** Runs a query on one database and closes the connection. */
export async function query<T extends pg.QueryResultRow = pg.QueryResultRow>(
  databaseUrl: string,
  sql: string,
  values: unknown[] = [],
): Promise<pg.QueryResult<T>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await client.query<T>(sql, values);
  } finally {
    await client.end();
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  output: string;
}

/**
 * Runs the real Prisma CLI (with the repository's prisma.config.ts) as a child process.
 * An `env` entry set to undefined removes that variable from the child's environment.
 */
export function prisma(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    CI: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    NO_COLOR: '1',
    ...env,
  };
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [prismaCli, ...args, '--config', configPath],
      {
        cwd: repoRoot,
        env: childEnv,
        timeout: 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr, output: `${stdout}\n${stderr}` });
      },
    );
  });
}
