import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBase32, encodeBase32 } from '../src/token-encoding.js';
import { signMailtoToken, verifyMailtoToken } from '../src/mailto-token.js';
import { parseSigningKeys } from '../src/signing-keys.js';

const oldKeys = parseSigningKeys(`k1:${'1'.repeat(32)}`);
const rotatedKeys = parseSigningKeys(`k2:${'2'.repeat(32)},k1:${'1'.repeat(32)}`);
const newKeys = parseSigningKeys(`k2:${'2'.repeat(32)}`);

describe('base32', () => {
  it('matches the RFC 4648 test vectors, lower-cased and unpadded', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'my'],
      ['fo', 'mzxq'],
      ['foo', 'mzxw6'],
      ['foob', 'mzxw6yq'],
      ['fooba', 'mzxw6ytb'],
      ['foobar', 'mzxw6ytboi'],
    ];
    for (const [plain, encoded] of vectors) {
      expect(encodeBase32(Buffer.from(plain))).toBe(encoded);
      expect(decodeBase32(encoded)?.toString()).toBe(plain);
      expect(decodeBase32(encoded.toUpperCase())?.toString()).toBe(plain);
    }
  });

  it('rejects foreign characters and non-zero spare bits', () => {
    expect(decodeBase32('mzxw1')).toBeNull();
    expect(decodeBase32('mz')).toBeNull();
    expect(decodeBase32('m')).toBeNull();
  });
});

describe('signMailtoToken / verifyMailtoToken', () => {
  const messageId = randomUUID();

  it('round-trips, lower-case and case-insensitively', () => {
    const token = signMailtoToken({ messageId }, oldKeys);
    expect(token).toMatch(/^[a-z2-7]+$/);
    expect(verifyMailtoToken(token, oldKeys)).toEqual({ ok: true, payload: { messageId } });
    expect(verifyMailtoToken(token.toUpperCase(), oldKeys)).toEqual({ ok: true, payload: { messageId } });
  });

  it('fits an RFC 5321 local part with its prefix', () => {
    const localPart = `unsubscribe+${signMailtoToken({ messageId }, oldKeys)}`;
    expect(Buffer.byteLength(localPart, 'ascii')).toBeLessThanOrEqual(64);
  });

  it('fails when any byte is changed', () => {
    const bytes = decodeBase32(signMailtoToken({ messageId }, oldKeys))!;
    for (let index = 0; index < bytes.length; index++) {
      const tampered = Buffer.from(bytes);
      tampered[index] = (tampered[index] ?? 0) ^ 0x01;
      expect(verifyMailtoToken(encodeBase32(tampered), oldKeys).ok, `byte ${index}`).toBe(false);
    }
  });

  it('fails when truncated', () => {
    const token = signMailtoToken({ messageId }, oldKeys);
    for (let length = 0; length < token.length; length++) {
      expect(verifyMailtoToken(token.slice(0, length), oldKeys).ok).toBe(false);
    }
  });

  it('reports an equal-length wrong MAC as a bad signature', () => {
    const bytes = decodeBase32(signMailtoToken({ messageId }, oldKeys))!;
    bytes.fill(0, bytes.length - 12);
    expect(verifyMailtoToken(encodeBase32(bytes), oldKeys)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a foreign key and follows rotation', () => {
    const foreign = parseSigningKeys(`k1:${'x'.repeat(32)}`);
    const oldToken = signMailtoToken({ messageId }, oldKeys);
    expect(verifyMailtoToken(signMailtoToken({ messageId }, foreign), oldKeys)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(verifyMailtoToken(oldToken, rotatedKeys).ok).toBe(true);
    expect(verifyMailtoToken(oldToken, newKeys)).toEqual({ ok: false, reason: 'unknown-key' });
  });

  it('is not interchangeable with the URL token', () => {
    expect(verifyMailtoToken('not-base32!', oldKeys)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyMailtoToken(encodeBase32(Buffer.alloc(30)), oldKeys)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });
});
