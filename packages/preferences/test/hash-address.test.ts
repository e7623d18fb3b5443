import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashAddress, hashClientIp, normalizeAddress } from '../src/hash-address.js';

describe('address hashing', () => {
  it('normalizes by trimming and lower-casing', () => {
    expect(normalizeAddress('  Ada.Lovelace@Example.COM\n')).toBe('ada.lovelace@example.com');
  });

  it('hashes the normalized address with plain SHA-256, stable across deploys', () => {
    const expected = createHash('sha256').update('ada@example.com').digest('hex');
    expect(hashAddress('ada@example.com')).toBe(expected);
    expect(hashAddress(' ADA@example.com ')).toBe(expected);
    expect(hashAddress('ada@example.org')).not.toBe(expected);
  });

  it('hashes client IPs with a salt, never returning the address', () => {
    const hash = hashClientIp('203.0.113.7', 'salt-one');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain('203');
    expect(hashClientIp('203.0.113.7', 'salt-two')).not.toBe(hash);
    expect(hashClientIp('::ffff:203.0.113.7', 'salt-one')).toBe(hash);
    expect(hashClientIp('2001:DB8::1', 'salt-one')).toBe(hashClientIp('2001:db8::1', 'salt-one'));
  });
});
