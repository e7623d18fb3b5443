import { describe, expect, it } from 'vitest';

import { createPrismaClient, isConnectionLost } from '../src/index.js';

const databaseUrl =
  process.env.TEST_DATABASE_URL ??
  process.env.DATABASE_URL ??
  'postgresql://postgres@127.0.0.1:5432/postgres';

describe('isConnectionLost', () => {
  it('says a statement whose session was terminated lost its connection, and a bad statement did not', async () => {
    const db = createPrismaClient({ databaseUrl, maxConnections: 1 });
    try {
      // The session ends itself, as pg_terminate_backend from an operator or a failover ends it.
      const terminated = await db.$queryRaw`SELECT pg_terminate_backend(pg_backend_pid())`.then(
        () => null,
        (error: unknown) => error,
      );
      expect(terminated).not.toBeNull();
      expect(isConnectionLost(terminated)).toBe(true);

      const invalid = await db.$queryRaw`SELECT * FROM no_such_table_here`.then(
        () => null,
        (error: unknown) => error,
      );
      expect(invalid).not.toBeNull();
      expect(isConnectionLost(invalid)).toBe(false);
      // The pool replaced the ended session: the next statement runs.
      expect(await db.$queryRaw`SELECT 1 AS one`).toEqual([{ one: 1 }]);
    } finally {
      await db.$disconnect();
    }
  });

  it('does not call a database that refuses connections a lost connection: trying again at once would not help', async () => {
    // A port nothing listens on, on loopback: the connection is refused at once.
    const db = createPrismaClient({
      databaseUrl: 'postgresql://postgres@127.0.0.1:1/herald',
      connectTimeoutMs: 1000,
    });
    try {
      const refused = await db.$queryRaw`SELECT 1`.then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).not.toBeNull();
      expect(isConnectionLost(refused)).toBe(false);
    } finally {
      await db.$disconnect();
    }
  });
});
