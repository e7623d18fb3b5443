import { createHash, createHmac } from 'node:crypto';
import { Prisma } from '@herald/db';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { useAddressHashKey } from '../src/address-hash-key.js';
import { addressHashMatchSql } from '../src/address-hash-sql.js';
import { addressHashes, hashAddress, legacyAddressHash, normalizeAddress } from '../src/hash-address.js';
import { connect } from './support/database.js';

const KEY = 'preferences-tests-address-hash-key-0123456789';
const db = connect();
afterAll(async () => {
  useAddressHashKey(KEY);
  await db.$disconnect();
});

describe('address hashing', () => {
  it('normalizes by trimming and lower-casing', () => {
    expect(normalizeAddress('  Ada.Lovelace@Example.COM\n')).toBe('ada.lovelace@example.com');
  });

  it('hashes the normalized address with HMAC-SHA256 under the key, marked as keyed', () => {
    const expected = `hmac1:${createHmac('sha256', KEY).update('ada@example.com').digest('hex')}`;
    expect(hashAddress('ada@example.com')).toBe(expected);
    expect(hashAddress(' ADA@example.com ')).toBe(expected);
    expect(hashAddress('ada@example.org')).not.toBe(expected);
    // Not the unkeyed SHA-256 anyone can compute from a list of addresses.
    expect(hashAddress('ada@example.com')).not.toContain(
      createHash('sha256').update('ada@example.com').digest('hex'),
    );
  });

  it('depends on the key: another deployment, another hash', () => {
    const here = hashAddress('ada@example.com');
    useAddressHashKey('another-deployment-address-hash-key-000000');
    try {
      expect(hashAddress('ada@example.com')).not.toBe(here);
    } finally {
      useAddressHashKey(KEY);
    }
  });

  it('names the legacy unkeyed hash beside the keyed one, for lookups', () => {
    const legacy = createHash('sha256').update('ada@example.com').digest('hex');
    expect(legacyAddressHash(' Ada@Example.com')).toBe(legacy);
    expect(addressHashes('ada@example.com')).toEqual([hashAddress('ada@example.com'), legacy]);
  });

  it('computes the same two hashes in SQL as in code, for set-based statements', async () => {
    for (const key of [KEY, 'k'.repeat(100)]) {
      useAddressHashKey(key);
      const emails = ['ada@example.com', 'Grace.Hopper+news@Example.ORG ', 'zoë@example.test'];
      for (const email of emails) {
        const [keyed, legacy] = addressHashes(email);
        const [row] = await db.$queryRaw<{ keyed: boolean; legacy: boolean; other: boolean }[]>(Prisma.sql`
          SELECT ${addressHashMatchSql(Prisma.sql`${keyed}::text`, Prisma.sql`${email}::text`)} AS keyed,
                 ${addressHashMatchSql(Prisma.sql`${legacy}::text`, Prisma.sql`${email}::text`)} AS legacy,
                 ${addressHashMatchSql(Prisma.sql`${hashAddress('someone@else.test')}::text`, Prisma.sql`${email}::text`)} AS other`);
        expect(row, email).toEqual({ keyed: true, legacy: true, other: false });
      }
    }
    useAddressHashKey(KEY);
  });

  it('refuses to hash without a key rather than fall back to a public one', async () => {
    vi.resetModules();
    const fresh = await import('../src/hash-address.js');
    expect(() => fresh.hashAddress('ada@example.com')).toThrow(/address hash key not set/);
    expect(() => useAddressHashKey('short')).toThrow(/at least 8 characters/);
  });
});
