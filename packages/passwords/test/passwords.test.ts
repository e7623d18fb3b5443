import { describe, expect, it } from 'vitest';
import { decoyHash, hashPassword, verifyPassword } from '../src/index.js';

/** scrypt('correct horse', 16 bytes of 7, N = 2^15, r = 8, p = 1), as the console has stored it. */
const KNOWN_KEY = 'DwyUzmUaiGFG9yz8ckTfVXofGXa5D5aJ1NY15rEoFJ0';

describe('console password hashes', () => {
  it('carry their own salt and cost, verify only the right password, and reject malformed hashes', async () => {
    const [first, second] = await Promise.all([hashPassword('correct horse'), hashPassword('correct horse')]);
    expect(first).not.toBe(second);
    expect(first.startsWith('$scrypt$ln=15,r=8,p=1$')).toBe(true);
    expect(await verifyPassword('correct horse', first)).toBe(true);
    expect(await verifyPassword('correct horse!', first)).toBe(false);
    expect(await verifyPassword('correct horse', first.replace('ln=15', 'ln=14'))).toBe(false);
    expect(await verifyPassword('correct horse', 'plain-text-password')).toBe(false);
  });

  it('still verify a hash made before the move to this package', async () => {
    const salt = Buffer.alloc(16, 7).toString('base64url');
    const stored = `$scrypt$ln=15,r=8,p=1$${salt}$${KNOWN_KEY}`;
    expect(await verifyPassword('correct horse', stored)).toBe(true);
  });

  it('give unknown addresses a decoy that no password matches', async () => {
    const decoy = await decoyHash();
    expect(decoy).toBe(await decoyHash());
    expect(await verifyPassword('', decoy)).toBe(false);
  });
});
