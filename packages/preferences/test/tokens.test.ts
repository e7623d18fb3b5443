import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSigningKeys } from '../src/signing-keys.js';
import { computeMac, uuidToBytes } from '../src/token-encoding.js';
import { signToken, verifyToken, type VerifiedTokenPayload } from '../src/url-token.js';

const oldKeys = parseSigningKeys(`k1:${'1'.repeat(32)}`);
const rotatedKeys = parseSigningKeys(`k2:${'2'.repeat(32)},k1:${'1'.repeat(32)}`);
const newKeys = parseSigningKeys(`k2:${'2'.repeat(32)}`);

// Links carry their issue day: a payload signed at midnight UTC comes back as it went in.
const issuedAt = new Date(Date.UTC(2026, 11, 1));
const payloads: (VerifiedTokenPayload & { issuedAt: Date })[] = [
  {
    contactId: randomUUID(),
    scope: { kind: 'category', categoryKey: 'newsletter' },
    tokenEpoch: 0,
    issuedAt,
  },
  {
    contactId: randomUUID(),
    scope: { kind: 'category', categoryKey: 'product-news' },
    messageId: randomUUID(),
    tokenEpoch: 3,
    issuedAt,
  },
  { contactId: randomUUID(), scope: { kind: 'all-promotional' }, tokenEpoch: 127, issuedAt },
  {
    contactId: randomUUID(),
    scope: { kind: 'all-promotional' },
    messageId: randomUUID(),
    tokenEpoch: 128,
    issuedAt,
  },
  {
    contactId: randomUUID(),
    scope: { kind: 'category', categoryKey: 'nouveautés-produit' },
    tokenEpoch: 0xffffffff,
    issuedAt,
  },
];

/** A version 1 token as Herald signed them before epochs and issue days (still in mailboxes). */
function signVersion1(
  payload: { contactId: string; categoryKey: string; messageId?: string },
  secret: Buffer,
) {
  const category = Buffer.from(payload.categoryKey, 'utf8');
  const body = Buffer.concat([
    Buffer.from([0x01, 2]),
    Buffer.from('k1', 'ascii'),
    uuidToBytes(payload.contactId),
    Buffer.from([category.length]),
    category,
    payload.messageId ? uuidToBytes(payload.messageId) : Buffer.alloc(0),
  ]);
  return Buffer.concat([body, computeMac(secret, body, 16)]).toString('base64url');
}

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
        tokenEpoch: 0,
      },
      oldKeys,
    );
    expect(token.length).toBeLessThanOrEqual(88);
  });

  it('signs the issue day, today when none is given', () => {
    const result = verifyToken(signToken({ ...payloads[0]!, issuedAt: undefined }, oldKeys), oldKeys);
    const today = new Date();
    expect(result).toMatchObject({
      ok: true,
      payload: {
        issuedAt: new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())),
      },
    });
  });

  it('still verifies version 1 tokens, as epoch 0 issued at an unknown time', () => {
    const contactId = randomUUID();
    const messageId = randomUUID();
    const token = signVersion1({ contactId, categoryKey: 'newsletter', messageId }, oldKeys[0]!.secret);
    expect(verifyToken(token, oldKeys)).toEqual({
      ok: true,
      payload: {
        contactId,
        scope: { kind: 'category', categoryKey: 'newsletter' },
        messageId,
        tokenEpoch: 0,
        issuedAt: null,
      },
    });
    const forged = signVersion1({ contactId, categoryKey: 'newsletter' }, Buffer.from('x'.repeat(32)));
    expect(verifyToken(forged, oldKeys)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('accepts only the shortest encoding of the epoch', () => {
    const bytes = Buffer.from(signToken(payloads[0]!, oldKeys), 'base64url');
    // Epoch 0 as the two bytes 0x80 0x00 instead of 0x00, correctly signed: still refused.
    const epochAt = 2 + 2 + 16;
    expect(bytes[epochAt]).toBe(0);
    const body = Buffer.concat([
      bytes.subarray(0, epochAt),
      Buffer.from([0x80, 0x00]),
      bytes.subarray(epochAt + 1, bytes.length - 16),
    ]);
    const padded = Buffer.concat([body, computeMac(oldKeys[0]!.secret, body, 16)]);
    expect(verifyToken(reencode(padded), oldKeys)).toEqual({ ok: false, reason: 'malformed' });
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
    // 50 bytes leave two spare bits in the last character; setting them changes the text, not the bytes.
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
      signToken(
        { contactId: 'someone@example.com', scope: { kind: 'all-promotional' }, tokenEpoch: 0 },
        oldKeys,
      ),
    ).toThrow();
    expect(() =>
      signToken(
        { contactId: randomUUID(), scope: { kind: 'category', categoryKey: 'x'.repeat(256) }, tokenEpoch: 0 },
        oldKeys,
      ),
    ).toThrow(/255 bytes/);
    expect(() => signToken(payloads[0]!, [])).toThrow(/no signing key/);
    expect(() => signToken(payloads[0]!, [{ kid: 'K1', secret: Buffer.alloc(32) }])).toThrow(/key id "K1"/);
    expect(() => signToken({ ...payloads[0]!, tokenEpoch: 2 ** 32 }, oldKeys)).toThrow();
  });
});
