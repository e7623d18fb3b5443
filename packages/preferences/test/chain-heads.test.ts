import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChainHeads } from '../src/evidence/chain-heads.js';

/** The verifier's table of each contact's last row_hash, past several of its growths. */
describe('ChainHeads', () => {
  it('keeps every contact apart and its last hash, across growing from 65,536 records to 262,144', () => {
    const heads = new ChainHeads();
    const count = 100_000;
    const ids = randomBytes(count * 16);
    const hashes = randomBytes(count * 32);
    for (let index = 0; index < count; index += 1) {
      expect(heads.find(ids, index * 16)).toBe(-1);
      const record = heads.slot(ids, index * 16);
      // A new contact's chain starts at 32 zero bytes.
      expect(heads.matches(record, Buffer.alloc(32), 0)).toBe(true);
      heads.set(record, hashes, index * 32);
    }
    expect(heads.size).toBe(count);
    for (let index = 0; index < count; index += 1) {
      const record = heads.find(ids, index * 16);
      expect(record).toBe(heads.slot(ids, index * 16));
      expect(heads.matches(record, hashes, index * 32)).toBe(true);
      expect(heads.matches(record, hashes, ((index + 1) % count) * 32)).toBe(false);
    }
    expect(heads.size).toBe(count);
    // UUIDs that differ only in their first bytes (time-ordered ones do) are still apart.
    const similar = Buffer.alloc(32, 7);
    similar[0] = 1;
    const other = heads.slot(similar, 16);
    expect(heads.slot(similar, 0)).not.toBe(other);
  });
});
