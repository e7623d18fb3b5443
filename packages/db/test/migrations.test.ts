import { readdirSync, readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  migrationsPath,
  prisma,
  query,
  schemaPath,
  scratchDatabase,
  type ScratchDatabase,
} from './helpers.js';

const migrationNames = readdirSync(migrationsPath, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

const contactId = '01930000-0000-7000-8000-000000000001';

describe('prisma/migrations', () => {
  let db: ScratchDatabase;
  const cli = (args: string[]) => prisma(args, { DATABASE_URL: db.url });

  beforeAll(async () => {
    db = await scratchDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('`migrate deploy` on an empty database applies every migration and creates the tables', async () => {
    const result = await cli(['migrate', 'deploy']);
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toContain('All migrations have been successfully applied.');

    const tables = await query<{ table_name: string }>(
      db.url,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    // Every model of the schema is a table (each model names its table with @@map).
    const schema = readFileSync(new URL('../../../prisma/schema.prisma', import.meta.url), 'utf8');
    const mapped = [...schema.matchAll(/@@map\("([a-z_]+)"\)/g)].map((match) => match[1] as string);
    expect(mapped).toEqual(expect.arrayContaining(['contacts', 'consent_log', 'messages', 'templates']));
    expect(tables.rows.map((row) => row.table_name)).toEqual(['_prisma_migrations', ...mapped].sort());
    const applied = await query<{ migration_name: string }>(
      db.url,
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name',
    );
    expect(applied.rows.map((row) => row.migration_name)).toEqual(migrationNames);
  });

  it('`migrate status` then reports the database up to date', async () => {
    const result = await cli(['migrate', 'status']);
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toContain('Database schema is up to date!');
  });

  it('a second `migrate deploy` has nothing to do', async () => {
    const result = await cli(['migrate', 'deploy']);
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toContain('No pending migrations to apply.');
  });

  it('the migrations produce exactly the schema (no drift)', async () => {
    const result = await cli([
      'migrate',
      'diff',
      '--from-migrations',
      migrationsPath,
      '--to-schema',
      schemaPath,
      '--exit-code',
    ]);
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toContain('No difference detected.');
  });

  it('the migrated database matches the schema, CHECKs and triggers included', async () => {
    const result = await cli([
      'migrate',
      'diff',
      '--from-config-datasource',
      '--to-schema',
      schemaPath,
      '--exit-code',
    ]);
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toContain('No difference detected.');
  });

  it('`migrate diff --exit-code` exits 2 when there is a difference', async () => {
    const result = await cli(['migrate', 'diff', '--from-empty', '--to-schema', schemaPath, '--exit-code']);
    expect(result.code, result.output).toBe(2);
    expect(result.stdout).toContain('[+] Added tables');
  });

  describe('rules enforced by the database', () => {
    beforeAll(async () => {
      await query(
        db.url,
        `INSERT INTO categories (key, name, description, class, required) VALUES
           ('security', 'Security', 'Sign-in links and security alerts', 'transactional', true),
           ('newsletter', 'Newsletter', 'Monthly news', 'promotional', false)`,
      );
      await query(
        db.url,
        `INSERT INTO contacts (id, email, updated_at) VALUES ($1, 'ada@example.com', now())`,
        [contactId],
      );
      await query(
        db.url,
        `INSERT INTO consent_log (contact_id, category_key, action, source) VALUES ($1, 'newsletter', 'subscribe', 'api')`,
        [contactId],
      );
    });

    it('consent_log refuses UPDATE', async () => {
      await expect(query(db.url, "UPDATE consent_log SET action = 'unsubscribe'")).rejects.toThrow(
        /consent_log is append-only: UPDATE of consent_log row \d+ refused/,
      );
      const rows = await query<{ action: string }>(db.url, 'SELECT action FROM consent_log');
      expect(rows.rows).toEqual([{ action: 'subscribe' }]);
    });

    it('consent_log refuses DELETE', async () => {
      await expect(query(db.url, 'DELETE FROM consent_log')).rejects.toThrow(
        /consent_log is append-only: DELETE/,
      );
      const rows = await query(db.url, 'SELECT 1 FROM consent_log');
      expect(rows.rowCount).toBe(1);
    });

    it('consent_log still accepts new entries', async () => {
      await query(
        db.url,
        `INSERT INTO consent_log (contact_id, category_key, action, source) VALUES ($1, 'newsletter', 'unsubscribe', 'one-click')`,
        [contactId],
      );
      const rows = await query(db.url, 'SELECT 1 FROM consent_log');
      expect(rows.rowCount).toBe(2);
    });

    it('a promotional category cannot be required', async () => {
      await expect(
        query(
          db.url,
          "INSERT INTO categories (key, name, description, class, required) VALUES ('offers', 'Offers', 'd', 'promotional', true)",
        ),
      ).rejects.toThrow(/categories_required_only_transactional/);
      await expect(
        query(db.url, "UPDATE categories SET required = true WHERE key = 'newsletter'"),
      ).rejects.toThrow(/categories_required_only_transactional/);
    });

    it('category keys must be kebab-case', async () => {
      for (const key of [
        'Policy-Updates',
        'policy_updates',
        'policy--updates',
        '-policy',
        'policy-',
        'policy updates',
        '',
      ]) {
        await expect(
          query(
            db.url,
            "INSERT INTO categories (key, name, description, class) VALUES ($1, 'n', 'd', 'transactional')",
            [key],
          ),
          key,
        ).rejects.toThrow(/categories_key_kebab_case/);
      }
      await query(
        db.url,
        "INSERT INTO categories (key, name, description, class) VALUES ('policy-updates-2', 'n', 'd', 'transactional')",
      );
    });
  });
});
