import { PrismaPg } from '@prisma/adapter-pg';

import { PrismaClient } from './generated/client.js';

interface CreatePrismaClientOptions {
  /** A postgresql:// URL. A `?schema=NAME` parameter selects the PostgreSQL schema. */
  databaseUrl: string;
  /** Size of the connection pool (pg's default is 10). */
  maxConnections?: number;
}

/**
 * A Prisma client that reaches PostgreSQL through node-postgres (Prisma 7 has no native
 * query engine). Call `$disconnect()` when done, which also closes the pool.
 */
export function createPrismaClient({ databaseUrl, maxConnections }: CreatePrismaClientOptions): PrismaClient {
  const { connectionString, schema } = splitSchemaParameter(databaseUrl);
  const adapter = new PrismaPg(
    {
      connectionString,
      ...(maxConnections !== undefined ? { max: maxConnections } : {}),
      // Timestamps are stored without a zone and compared with now() in SQL: sessions run in UTC.
      options: `-c TimeZone=UTC${schema ? ` -c search_path=${schema}` : ''}`,
    },
    schema ? { schema } : undefined,
  );
  return new PrismaClient({ adapter });
}

/** `?schema=` is Prisma's parameter, not libpq's: take it out of the URL pg sees. */
function splitSchemaParameter(databaseUrl: string): { connectionString: string; schema?: string } {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error('databaseUrl is not a valid URL (expected postgresql://user@host:port/database)');
  }
  const schema = url.searchParams.get('schema') ?? undefined;
  if (!schema) return { connectionString: databaseUrl };
  url.searchParams.delete('schema');
  return { connectionString: url.toString(), schema };
}
