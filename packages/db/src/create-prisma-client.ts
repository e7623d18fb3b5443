import { PrismaPg } from '@prisma/adapter-pg';
import { createHash } from 'node:crypto';
import pg from 'pg';

import { PrismaClient } from './generated/client.js';

interface CreatePrismaClientOptions {
  /** A postgresql:// URL. A `?schema=NAME` parameter selects the PostgreSQL schema. */
  databaseUrl: string;
  /** Size of the connection pool (pg's default is 10). */
  maxConnections?: number;
  /** How long opening a connection (TCP, startup, authentication) may take. Default 5 s. */
  connectTimeoutMs?: number;
  /**
   * How long one statement may run: PostgreSQL cancels it after this (`statement_timeout`), and the
   * client gives up on an answer that never comes a little later (a server or network that went
   * silent). Default 30 s.
   */
  statementTimeoutMs?: number;
  /**
   * How long a connection serves before it is closed (once idle) and a new one opened. Default 60 s:
   * the plans PostgreSQL keeps for a connection's prepared statements (NAMED_STATEMENT_MARK) are
   * costed for the tables as they were then, and a busy pool's connections would otherwise live on.
   */
  connectionLifetimeSeconds?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
const DEFAULT_CONNECTION_LIFETIME_SECONDS = 60;
/** The server's own cancel comes first; the client's read timeout is only for a server that went silent. */
const CLIENT_GRACE_MS = 5_000;

/**
 * A Prisma client that reaches PostgreSQL through node-postgres (Prisma 7 has no native
 * query engine), with bounded connects and statements and TCP keepalive. Call `$disconnect()`
 * when done, which also closes the pool.
 */
export function createPrismaClient({
  databaseUrl,
  maxConnections,
  connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS,
  statementTimeoutMs = DEFAULT_STATEMENT_TIMEOUT_MS,
  connectionLifetimeSeconds = DEFAULT_CONNECTION_LIFETIME_SECONDS,
}: CreatePrismaClientOptions): PrismaClient {
  const { connectionString, schema } = splitSchemaParameter(databaseUrl);
  const pool = createPgPool({
    connectionString,
    ...(maxConnections !== undefined ? { max: maxConnections } : {}),
    // Without these a database that stops answering (a dropped route, a frozen host) holds every
    // caller until the kernel gives the connection up, some fifteen minutes later.
    connectionTimeoutMillis: connectTimeoutMs,
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + CLIENT_GRACE_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    // A generic plan made while a table was small (a seq scan of a few rows) stays a seq scan on the
    // connection after the table has grown, until PostgreSQL analyzes the table again. Connections
    // are renewed so that no such plan outlives this, under any load (decision 027).
    maxLifetimeSeconds: connectionLifetimeSeconds,
    // Timestamps are stored without a zone and compared with now() in SQL: sessions run in UTC.
    options: `-c TimeZone=UTC${schema ? ` -c search_path=${schema}` : ''}`,
  });
  // The adapter is typed against its own copy of @types/pg; at run time both use this one pg module.
  const adapterPool = pool as unknown as ConstructorParameters<typeof PrismaPg>[0];
  const adapter = new PrismaPg(adapterPool, {
    ...(schema ? { schema } : {}),
    disposeExternalPool: true,
    statementNameGenerator: statementNames() as (query: { sql: string }) => string,
  });
  return new PrismaClient({ adapter });
}

/**
 * A node-postgres pool whose connections can never raise an unhandled `error` event. pg-pool listens
 * for errors on an idle connection and a query listens while it runs, but a connection handed to a
 * transaction has none until the adapter adds its own after an `await`: a server that ends the session
 * (a restart, a failover, `pg_terminate_backend`) in the same packet that finished the connect emits
 * the error in that gap, and Node ends the process on an `error` event nobody listens to. The error is
 * not lost: the connection is no longer queryable, so its next statement fails and the pool drops it.
 */
export function createPgPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on('connect', (client) => client.on('error', ignoreConnectionError));
  pool.on('error', ignoreConnectionError);
  return pool;
}

function ignoreConnectionError(): void {}

/** What a statement's text starts with to be prepared once per connection (see statementNames). */
export const NAMED_STATEMENT_MARK = '/* herald:named */';

/** Named statements a process keeps at most: a connection holds each it has parsed for its life. */
const NAMED_STATEMENTS_LIMIT = 64;

/**
 * Names for the statements that ask for one (their text starts with NAMED_STATEMENT_MARK), so that
 * node-postgres parses each once per connection and then only binds and executes it, and PostgreSQL
 * may keep a generic plan for it after five executions (decision 027). Only for hot statements whose
 * every plan is a look-up by key: a generic plan is made without the values, and several of
 * Herald's statements depend on theirs, so every other statement stays unnamed, parsed and planned
 * for its values each time. The name is a hash of the text, the same on every connection.
 */
function statementNames(): (query: { sql: string }) => string | undefined {
  const names = new Map<string, string>();
  return ({ sql }) => {
    if (!sql.startsWith(NAMED_STATEMENT_MARK)) return undefined;
    let name = names.get(sql);
    if (name === undefined) {
      if (names.size >= NAMED_STATEMENTS_LIMIT) return undefined;
      name = `herald_${createHash('sha256').update(sql).digest('base64url').slice(0, 32)}`;
      names.set(sql, name);
    }
    return name;
  };
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
