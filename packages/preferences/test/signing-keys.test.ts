import { describe, expect, it } from 'vitest';
import { parseSigningKeys } from '../src/signing-keys.js';

const secretA = 'a'.repeat(32);
const secretB = 'b'.repeat(40);

describe('parseSigningKeys', () => {
  it('parses keys in order, the first one signing', () => {
    const keys = parseSigningKeys(`k2:${secretB}, K1:${secretA}`);
    expect(keys.map((key) => key.kid)).toEqual(['k2', 'k1']);
    expect(keys[0]?.secret.toString()).toBe(secretB);
  });

  it('keeps colons inside a secret', () => {
    const [key] = parseSigningKeys(`k1:${secretA}:with:colons`);
    expect(key?.secret.toString()).toBe(`${secretA}:with:colons`);
  });

  it.each([
    ['', /empty/],
    ['  ', /empty/],
    [`k1:${secretA},`, /entry 2 is empty/],
    [secretA, /no "kid:" prefix/],
    [`:${secretA}`, /key id ""/],
    [`toolongkid:${secretA}`, /key id "toolongkid"/],
    [`k-1:${secretA}`, /key id "k-1"/],
    [`k1:${secretA},K1:${secretB}`, /"K1" appears more than once/],
    ['k1:short', /secret of key "k1" has 5 characters; at least 32/],
    [`k1:${'x'.repeat(31)}`, /31 characters/],
  ])('rejects %j', (spec, message) => {
    expect(() => parseSigningKeys(spec)).toThrow(message);
  });
});
