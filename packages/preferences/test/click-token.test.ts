import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signClickToken, verifyClickToken } from '../src/click-token.js';
import { parseSigningKeys } from '../src/signing-keys.js';
import { signToken, verifyToken } from '../src/url-token.js';

const oldKeys = parseSigningKeys(`k1:${'1'.repeat(32)}`);
const rotatedKeys = parseSigningKeys(`k2:${'2'.repeat(32)},k1:${'1'.repeat(32)}`);
const payload = { messageId: randomUUID(), linkIndex: 3, url: 'https://example.test/a?b=1&c=é#top' };

describe('tracked-link tokens', () => {
  it('carry the message, the link and its exact target, and verify under a rotation', () => {
    const token = signClickToken(payload, oldKeys);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(verifyClickToken(token, oldKeys)).toEqual({ ok: true, payload });
    expect(verifyClickToken(token, rotatedKeys)).toEqual({ ok: true, payload });
    expect(verifyClickToken(token, parseSigningKeys(`k2:${'2'.repeat(32)}`))).toEqual({
      ok: false,
      reason: 'unknown-key',
    });
  });

  it('refuse a changed target, a changed link index and a token of another kind', () => {
    const bytes = Buffer.from(signClickToken(payload, oldKeys), 'base64url');
    const changedTarget = Buffer.from(
      bytes.toString('latin1').replace('example.test', 'example.evil'),
      'latin1',
    );
    expect(verifyClickToken(changedTarget.toString('base64url'), oldKeys)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    const changedIndex = Buffer.from(bytes);
    changedIndex[2 + 2 + 16] = 4;
    expect(verifyClickToken(changedIndex.toString('base64url'), oldKeys)).toMatchObject({ ok: false });
    // An unsubscribe token signed with the same key is no click token, and the other way round.
    const unsubscribe = signToken(
      { contactId: randomUUID(), scope: { kind: 'all-promotional' }, tokenEpoch: 0 },
      oldKeys,
    );
    expect(verifyClickToken(unsubscribe, oldKeys)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyToken(signClickToken(payload, oldKeys), oldKeys)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    for (const junk of ['', 'x', 'not a token', `${signClickToken(payload, oldKeys)}=`]) {
      expect(verifyClickToken(junk, oldKeys).ok).toBe(false);
    }
  });

  it('are made for http(s) targets only', () => {
    for (const url of [
      'mailto:a@example.test',
      'tel:+441234',
      'javascript:alert(1)',
      '/relative',
      'https://',
    ]) {
      expect(() => signClickToken({ ...payload, url }, oldKeys)).toThrow();
    }
    expect(() =>
      signClickToken({ ...payload, url: `https://example.test/${'a'.repeat(3000)}` }, oldKeys),
    ).toThrow('too long');
  });
});
