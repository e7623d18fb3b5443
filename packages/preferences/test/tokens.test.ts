import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSigningKeys } from '../src/signing-keys.js';
import { signToken, verifyToken, type TokenPayload } from '../src/url-token.js';

const oldKeys = parseSigningKeys(`k1:${'1'.repeat(32)}`);
const rotatedKeys = parseSigningKeys(`k2:${'2'.repeat(32)},k1:${'1'.repeat(32)}`);
const newKeys = parseSigningKeys(`k2:${'2'.repeat(32)}`);

const payloads: TokenPayload[] = [
  { contactId: randomUUID(), scope: { kind: 'category', categoryKey: 'newsletter' } },
  {
    contactId: randomUUID(),
    scope: { kind: 'category', categoryKey: 'product-news' },
    messageId: randomUUID(),
  },
  { contactId: randomUUID(), scope: { kind: 'all-promotional' } },
  { contactId: randomUUID(), scope: { kind: 'all-promotional' }, messageId: randomUUID() },
  { contactId: randomUUID(), scope: { kind: 'category', categoryKey: 'nouveautés-produit' } },
];

function reencode(bytes: Buffer): string {
  return bytes.toString('base64url');
}

describe('signToken / verifyToken', () => {
  it.each(payloads.map((payload) => [payload.scope, payload] as const))(
    'round-trips %j',
    (_scope, payload) => {
      const token = signToken(payload, oldKeys);
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(verifyToken(token, oldKeys)).toEqual({ ok: true, payload });
    },
  );

  it('keeps a typical token well under 100 characters', () => {
    const token = signToken(
      {
        contactId: randomUUID(),
        scope: { kind: 'category', categoryKey: 'newsletter' },
        messageId: randomUUID(),
      },
      oldKeys,
    );
    expect(token.length).toBeLessThanOrEqual(84);
  });

  it('fails when any byte is changed', () => {
    for (const payload of payloads) {
      const bytes = Buffer.from(signToken(payload, oldKeys), 'base64url');
      for (let index = 0; index < bytes.length; index++) {
        for (const mask of [0x01, 0x80, 0xff]) {
          const tampered = Buffer.from(bytes);
          tampered[index] = (tampered[index] ?? 0) ^ mask;
          const result = verifyToken(reencode(tampered), oldKeys);
          expect(result.ok, `byte ${index} ^ ${mask}`).toBe(false);
        }
      }
    }
  });

  it('fails when truncated or extended', () => {
    const token = signToken(payloads[1]!, oldKeys);
    for (let length = 0; length < token.length; length++) {
      expect(verifyToken(token.slice(0, length), oldKeys).ok, `length ${length}`).toBe(false);
    }
    expect(verifyToken(`${token}A`, oldKeys).ok).toBe(false);
    const bytes = Buffer.from(token, 'base64url');
    expect(verifyToken(reencode(Buffer.concat([bytes, Buffer.from([0])])), oldKeys).ok).toBe(false);
  });

  it('rejects a non-canonical encoding of valid bytes', () => {
    // 47 bytes leave two spare bits in the last character; setting them changes the text, not the bytes.
    const token = signToken(payloads[0]!, oldKeys);
    expect(token.length % 4).not.toBe(0);
    const last = token.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = alphabet[alphabet.indexOf(last) | 1]!;
    const variant = token.slice(0, -1) + (twin === last ? alphabet[alphabet.indexOf(last) | 2]! : twin);
    expect(Buffer.from(variant, 'base64url').equals(Buffer.from(token, 'base64url'))).toBe(true);
    expect(verifyToken(variant, oldKeys)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('reports an equal-length wrong MAC as a bad signature', () => {
    const bytes = Buffer.from(signToken(payloads[1]!, oldKeys), 'base64url');
    bytes.fill(0, bytes.length - 16);
    expect(verifyToken(reencode(bytes), oldKeys)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses tokens from a foreign key', () => {
    const sameKidOtherSecret = parseSigningKeys(`k1:${'x'.repeat(32)}`);
    const token = signToken(payloads[0]!, sameKidOtherSecret);
    expect(verifyToken(token, oldKeys)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyToken(signToken(payloads[0]!, newKeys), oldKeys)).toEqual({
      ok: false,
      reason: 'unknown-key',
    });
  });

  it('keeps old tokens working through a rotation, then retires them', () => {
    const oldToken = signToken(payloads[1]!, oldKeys);
    expect(verifyToken(oldToken, rotatedKeys)).toEqual({ ok: true, payload: payloads[1] });

    const newToken = signToken(payloads[1]!, rotatedKeys);
    expect(verifyToken(newToken, newKeys)).toEqual({ ok: true, payload: payloads[1] });
    expect(verifyToken(oldToken, newKeys)).toEqual({ ok: false, reason: 'unknown-key' });
  });

  it.each(['', '!!!', 'a b', 'AQ', '%2F', 'x'.repeat(500)])(
    'calls %j malformed without throwing',
    (token) => {
      expect(verifyToken(token, oldKeys)).toEqual({ ok: false, reason: 'malformed' });
    },
  );

  it('refuses to sign what it could not verify', () => {
    expect(() =>
      signToken({ contactId: 'someone@example.com', scope: { kind: 'all-promotional' } }, oldKeys),
    ).toThrow();
    expect(() =>
      signToken(
        { contactId: randomUUID(), scope: { kind: 'category', categoryKey: 'x'.repeat(256) } },
        oldKeys,
      ),
    ).toThrow(/255 bytes/);
    expect(() => signToken(payloads[0]!, [])).toThrow(/no signing key/);
    expect(() => signToken(payloads[0]!, [{ kid: 'K1', secret: Buffer.alloc(32) }])).toThrow(/key id "K1"/);
  });
});
