import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsPath, scratchDatabase, type ScratchDatabase } from './helpers.js';

/**
 * Migration 20270102090000_consent_evidence chains the consent-log rows that exist before it: each
 * contact's rows in id order, linked from 32 zero bytes, hashed as the trigger hashes new rows (the
 * preferences package's tests check the trigger against Node), and new rows continue the chains.
 */
const EVIDENCE = '20270102090000_consent_evidence';
let database: ScratchDatabase;
let client: pg.Client;

beforeAll(async () => {
  database = await scratchDatabase();
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const migrations = readdirSync(migrationsPath, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  for (const name of migrations.filter((migration) => migration < EVIDENCE)) {
    await client.query(readFileSync(join(migrationsPath, name, 'migration.sql'), 'utf8'));
  }
  await client.query(`
    INSERT INTO contacts (id, email, created_at, updated_at)
      SELECT gen_random_uuid(), 'backfill-' || g || '@example.test', now(), now() FROM generate_series(1, 7) g;
    INSERT INTO consent_log (contact_id, action, source, user_agent, ip_hash, reason)
      SELECT (SELECT id FROM contacts ORDER BY email OFFSET (g % 7) LIMIT 1), 'unsubscribe', 'api',
             CASE WHEN g % 3 = 0 THEN NULL ELSE 'UA ' || g END, md5(g::text), 'reason ' || g
        FROM generate_series(1, 60) g;`);
  await client.query(readFileSync(join(migrationsPath, EVIDENCE, 'migration.sql'), 'utf8'));
});
afterAll(async () => {
  await client?.end();
  await database?.drop();
});

describe(`migration ${EVIDENCE}`, () => {
  it('chains every existing row of each contact in id order, as the trigger would have', async () => {
    const { rows } = await client.query<{
      id: string;
      contact_id: string;
      evidence_seq: string;
      prev_hash: Buffer;
      row_hash: Buffer;
      personal_hash: Buffer;
      expected_row: Buffer;
      expected_personal: Buffer;
    }>(`
      SELECT id, contact_id, evidence_seq, prev_hash, row_hash, personal_hash,
             evidence_row_hash(c) AS expected_row, evidence_personal_hash(user_agent, ip_hash) AS expected_personal
        FROM consent_log c ORDER BY contact_id, id`);
    expect(rows).toHaveLength(60);
    const last = new Map<string, Buffer>();
    for (const row of rows) {
      expect(row.evidence_seq).toBe(row.id);
      expect(row.prev_hash.equals(last.get(row.contact_id) ?? Buffer.alloc(32))).toBe(true);
      expect(row.row_hash.equals(row.expected_row)).toBe(true);
      expect(row.personal_hash.equals(row.expected_personal)).toBe(true);
      last.set(row.contact_id, row.row_hash);
    }
    // A row written afterwards continues its contact's chain, with the next evidence_seq.
    const contact = rows[0]!.contact_id;
    const { rows: added } = await client.query<{ evidence_seq: string; prev_hash: Buffer }>(
      `INSERT INTO consent_log (contact_id, action, source) VALUES ($1, 'subscribe', 'api') RETURNING evidence_seq, prev_hash`,
      [contact],
    );
    expect(added[0]!.evidence_seq).toBe('61');
    expect(added[0]!.prev_hash.equals(last.get(contact)!)).toBe(true);
  });
});
