import pg from 'pg';

/**
 * Ends every session connected to the database named in `databaseUrl` (`pg_terminate_backend`), as a
 * PostgreSQL restart or failover does to its clients, without touching the server's other databases.
 * Connects through the server's `postgres` database, so its own session is not among them.
 * Resolves with how many sessions were ended.
 */
export async function terminateDatabaseBackends(databaseUrl: string): Promise<number> {
  const target = new URL(databaseUrl);
  const database = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rows } = await client.query<{ ended: number }>(
      `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS ended
         FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [database],
    );
    return rows[0]?.ended ?? 0;
  } finally {
    await client.end();
  }
}
