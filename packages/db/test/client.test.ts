import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  ConsentAction,
  ConsentSource,
  createPrismaClient,
  MessageClass,
  NAMED_STATEMENT_MARK,
  Prisma,
  type Db,
  type Tx,
} from '../src/index.js';
import { createPgPool } from '../src/create-prisma-client.js';
import { prisma, query, scratchDatabase, type ScratchDatabase } from './helpers.js';

/** The kind of helper the services write: it works inside or outside a transaction. */
async function subscribe(db: Tx, contactId: string, categoryKey: string): Promise<void> {
  await db.preference.upsert({
    where: { contactId_categoryKey: { contactId, categoryKey } },
    create: { contactId, categoryKey, subscribed: true },
    update: { subscribed: true },
  });
  await db.consentLogEntry.create({
    data: {
      contactId,
      categoryKey,
      action: ConsentAction.subscribe,
      source: ConsentSource.preference_center,
    },
  });
}

describe('createPrismaClient', () => {
  let database: ScratchDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await scratchDatabase();
    const deploy = await prisma(['migrate', 'deploy'], { DATABASE_URL: database.url });
    expect(deploy.code, deploy.output).toBe(0);
    db = createPrismaClient({ databaseUrl: database.url, maxConnections: 2 });
  });
  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  it('creates and reads a contact', async () => {
    const created = await db.contact.create({ data: { email: 'grace@example.com', name: 'Grace' } });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.locale).toBe('en');

    const read = await db.contact.findUnique({ where: { email: 'grace@example.com' } });
    expect(read).toMatchObject({ id: created.id, name: 'Grace', promotionalOptOut: false, attributes: {} });
  });

  it('writes state and its consent_log entry in one transaction', async () => {
    await db.category.create({
      data: { key: 'product-news', name: 'Product news', description: 'd', class: MessageClass.promotional },
    });
    const contact = await db.contact.create({ data: { email: 'alan@example.com' } });

    await db.$transaction((tx) => subscribe(tx, contact.id, 'product-news'));

    const [preference, log] = await Promise.all([
      db.preference.findUniqueOrThrow({
        where: { contactId_categoryKey: { contactId: contact.id, categoryKey: 'product-news' } },
      }),
      db.consentLogEntry.findMany({ where: { contactId: contact.id } }),
    ]);
    expect(preference.subscribed).toBe(true);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      action: 'subscribe',
      source: 'preference_center',
      categoryKey: 'product-news',
    });
  });

  it('rolls the whole transaction back when a rule of the database refuses a write', async () => {
    const contact = await db.contact.create({ data: { email: 'edsger@example.com' } });
    await expect(
      db.$transaction(async (tx) => {
        await subscribe(tx, contact.id, 'product-news');
        await tx.category.create({
          data: { key: 'Not Kebab', name: 'n', description: 'd', class: MessageClass.transactional },
        });
      }),
    ).rejects.toThrow(/categories_key_kebab_case/);
    expect(await db.consentLogEntry.count({ where: { contactId: contact.id } })).toBe(0);
  });

  it('surfaces the append-only consent_log as an error', async () => {
    const entry = await db.consentLogEntry.findFirstOrThrow();
    const update = db.consentLogEntry.update({ where: { id: entry.id }, data: { reason: 'edited' } });
    await expect(update).rejects.toThrow(/consent_log is append-only/);
    await expect(update).rejects.toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
  });

  it('prepares a statement marked herald:named once per connection, and no other', async () => {
    const one = createPrismaClient({ databaseUrl: database.url, maxConnections: 1 });
    try {
      for (const value of [1, 2, 3]) {
        const [named] = await one.$queryRaw<
          { value: number }[]
        >`/* herald:named */ SELECT ${value}::int AS value`;
        expect(named?.value).toBe(value);
        await one.$queryRaw`SELECT ${value}::int AS value`;
        // Inside an interactive transaction too (the adapter's transaction client).
        await one.$transaction(async (tx) => tx.$queryRaw`/* herald:named */ SELECT ${value}::int AS value`);
      }
      const prepared = await one.$queryRaw<{ name: string; statement: string }[]>`
        SELECT name, statement FROM pg_prepared_statements ORDER BY name`;
      expect(prepared).toEqual([
        {
          name: expect.stringMatching(/^herald_[\w-]{32}$/),
          statement: '/* herald:named */ SELECT $1::int AS value',
        },
      ]);
      expect(NAMED_STATEMENT_MARK).toBe('/* herald:named */');
    } finally {
      await one.$disconnect();
    }
  });

  it('renews a connection after its lifetime, with the plans its prepared statements kept', async () => {
    const one = createPrismaClient({
      databaseUrl: database.url,
      maxConnections: 1,
      connectionLifetimeSeconds: 1,
    });
    try {
      // In one transaction, so that the runs and the look share one connection whatever the timing.
      const session = () =>
        one.$transaction(async (tx) => {
          // More runs than PostgreSQL's five custom plans: the connection keeps a generic plan.
          for (let run = 0; run < 7; run++)
            await tx.$queryRaw`/* herald:named */ SELECT ${run}::int AS value`;
          const [row] = await tx.$queryRaw<{ pid: number; generic: bigint }[]>`
            SELECT pg_backend_pid() AS pid,
                   (SELECT generic_plans FROM pg_prepared_statements WHERE statement LIKE '/* herald:named */%') AS generic`;
          return { pid: row?.pid, generic: Number(row?.generic) };
        });
      const first = await session();
      expect(first.generic).toBeGreaterThan(0);
      // Busy or not, the connection is not used past its lifetime: the next statement has a new one.
      await new Promise((resolve) => setTimeout(resolve, 1_300));
      const second = await session();
      expect(second.pid).not.toBe(first.pid);
      expect(second.generic).toBeGreaterThan(0);
      expect(second.generic).toBeLessThanOrEqual(first.generic);
    } finally {
      await one.$disconnect();
    }
  });

  it('honours ?schema= in the URL', async () => {
    const url = `${database.url}?schema=herald_alt`;
    const deploy = await prisma(['migrate', 'deploy'], { DATABASE_URL: url });
    expect(deploy.code, deploy.output).toBe(0);

    const alt = createPrismaClient({ databaseUrl: url });
    try {
      await alt.contact.create({ data: { email: 'barbara@example.com' } });
    } finally {
      await alt.$disconnect();
    }
    const rows = await query(
      database.url,
      "SELECT 1 FROM herald_alt.contacts WHERE email = 'barbara@example.com'",
    );
    expect(rows.rowCount).toBe(1);
    expect(await db.contact.count({ where: { email: 'barbara@example.com' } })).toBe(0);
  });
});

describe('createPgPool', () => {
  let database: ScratchDatabase;
  beforeAll(async () => {
    database = await scratchDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('never lets a connection raise an error nobody listens to, idle or checked out', async () => {
    const pool = createPgPool({ connectionString: database.url, max: 2 });
    try {
      // A checked-out connection with no query running has no listener of pg-pool's: the server ending
      // its session there emitted an unhandled `error` and ended the process.
      const client = await pool.connect();
      expect(() => client.emit('error', new Error('terminating connection'))).not.toThrow();
      client.release(true);

      const { rows } = await pool.query<{ one: number }>('SELECT 1 AS one');
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });
});
