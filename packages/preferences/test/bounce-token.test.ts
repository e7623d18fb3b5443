import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBase32, encodeBase32 } from '../src/token-encoding.js';
import { parseBounceAddress, signBounceToken, verifyBounceToken } from '../src/bounce-token.js';
import { signMailtoToken, verifyMailtoToken } from '../src/mailto-token.js';
import { parseSigningKeys } from '../src/signing-keys.js';

const oldKeys = parseSigningKeys(`k1:${'1'.repeat(32)}`);
const rotatedKeys = parseSigningKeys(`k2:${'2'.repeat(32)},k1:${'1'.repeat(32)}`);
const newKeys = parseSigningKeys(`k2:${'2'.repeat(32)}`);

describe('signBounceToken / verifyBounceToken', () => {
  const messageId = randomUUID();

  it('round-trips, lower-case and case-insensitively', () => {
    const token = signBounceToken({ messageId }, oldKeys);
    expect(token).toMatch(/^[a-z2-7]{48}$/);
    expect(verifyBounceToken(token, oldKeys)).toEqual({ ok: true, payload: { messageId } });
    expect(verifyBounceToken(token.toUpperCase(), oldKeys)).toEqual({ ok: true, payload: { messageId } });
  });

  it('fits an RFC 5321 local part with its prefix', () => {
    const localPart = `bounce+${signBounceToken({ messageId }, oldKeys)}`;
    expect(Buffer.byteLength(localPart, 'ascii')).toBeLessThanOrEqual(64);
  });

  it('fails when any byte is changed or the token is truncated', () => {
    const token = signBounceToken({ messageId }, oldKeys);
    const bytes = decodeBase32(token)!;
    for (let index = 0; index < bytes.length; index++) {
      const tampered = Buffer.from(bytes);
      tampered[index] = (tampered[index] ?? 0) ^ 0x01;
      expect(verifyBounceToken(encodeBase32(tampered), oldKeys).ok, `byte ${index}`).toBe(false);
    }
    for (let length = 0; length < token.length; length++) {
      expect(verifyBounceToken(token.slice(0, length), oldKeys).ok).toBe(false);
    }
  });

  it('reports an equal-length wrong MAC as a bad signature', () => {
    const bytes = decodeBase32(signBounceToken({ messageId }, oldKeys))!;
    bytes.fill(0, bytes.length - 12);
    expect(verifyBounceToken(encodeBase32(bytes), oldKeys)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a foreign key and follows rotation', () => {
    const foreign = parseSigningKeys(`k1:${'x'.repeat(32)}`);
    const oldToken = signBounceToken({ messageId }, oldKeys);
    expect(verifyBounceToken(signBounceToken({ messageId }, foreign), oldKeys)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(verifyBounceToken(oldToken, rotatedKeys).ok).toBe(true);
    expect(verifyBounceToken(oldToken, newKeys)).toEqual({ ok: false, reason: 'unknown-key' });
  });

  it('is not interchangeable with the mailto unsubscribe token, either way', () => {
    const mailto = signMailtoToken({ messageId }, oldKeys);
    const bounce = signBounceToken({ messageId }, oldKeys);
    expect(mailto).toHaveLength(bounce.length);
    expect(verifyBounceToken(mailto, oldKeys)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyMailtoToken(bounce, oldKeys)).toEqual({ ok: false, reason: 'malformed' });
    // The same bytes behind the other form's version byte do not verify either: the MAC covers it.
    const relabelled = decodeBase32(mailto)!;
    relabelled[0] = decodeBase32(bounce)![0]!;
    expect(verifyBounceToken(encodeBase32(relabelled), oldKeys).ok).toBe(false);
  });
});

describe('parseBounceAddress', () => {
  const token = signBounceToken({ messageId: randomUUID() }, oldKeys);

  it('finds the token in the address, bare or in angle brackets, whatever its case', () => {
    expect(parseBounceAddress(`bounce+${token}@mail.example.test`, 'mail.example.test')).toBe(token);
    expect(parseBounceAddress(`<bounce+${token}@mail.example.test>`, 'mail.example.test')).toBe(token);
    expect(parseBounceAddress(`BOUNCE+${token.toUpperCase()}@Mail.Example.Test`, 'mail.example.test')).toBe(
      token,
    );
  });

  it('answers null for any other address', () => {
    for (const address of [
      `bounce+${token}@other.example`,
      `unsubscribe+${token}@mail.example.test`,
      'bounce+@mail.example.test',
      'bounce+not-base32!@mail.example.test',
      `bounce+${token}`,
      'fbl@mail.example.test',
      '',
    ]) {
      expect(parseBounceAddress(address, 'mail.example.test'), address).toBeNull();
    }
  });
});
