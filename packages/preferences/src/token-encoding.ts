import { createHmac, timingSafeEqual } from 'node:crypto';

// The byte-level pieces both token forms are built from: UUIDs as raw bytes, a truncated
// HMAC, and base32 for the mailto form.

export const UUID_LENGTH = 16;

/** A UUID as its 16 raw bytes: half the length of its text form in a token. */
export function uuidToBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`not a UUID: ${uuid}`);
  return Buffer.from(hex, 'hex');
}

export function bytesToUuid(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** HMAC-SHA256 truncated to `length` bytes. */
export function computeMac(secret: Buffer, data: Uint8Array, length: number): Buffer {
  return createHmac('sha256', secret).update(data).digest().subarray(0, length);
}

export function isMacValid(secret: Buffer, data: Uint8Array, mac: Uint8Array): boolean {
  const expected = computeMac(secret, data, mac.length);
  return timingSafeEqual(expected, mac);
}

/** Unsigned LEB128: seven bits a byte, low bits first, the high bit set on every byte but the last. */
export function encodeVarint(value: number): Buffer {
  const out: number[] = [];
  let rest = value;
  do {
    const low = rest % 128;
    rest = Math.floor(rest / 128);
    out.push(rest > 0 ? low | 0x80 : low);
  } while (rest > 0);
  return Buffer.from(out);
}

/** Only the shortest encoding of a value up to 2^32 - 1 is accepted: one value, one spelling. */
export function decodeVarint(bytes: Buffer, start: number): { value: number; next: number } | null {
  let value = 0;
  for (let index = 0; index < 5; index++) {
    const byte = bytes[start + index];
    if (byte === undefined) return null;
    value += (byte & 0x7f) * 128 ** index;
    if ((byte & 0x80) === 0) {
      if (index > 0 && byte === 0) return null;
      return value > 0xffffffff ? null : { value, next: start + index + 1 };
    }
  }
  return null;
}

// RFC 4648 base32, lower-cased, without padding: survives mail systems that change the
// case of an address's local part.
const BASE32_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

export function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32_ALPHABET[(buffer >> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** Case-insensitive. Returns null for anything but the canonical encoding of some bytes. */
export function decodeBase32(text: string): Buffer | null {
  const lower = text.toLowerCase();
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of lower) {
    const value = BASE32_ALPHABET.indexOf(char);
    if (value < 0) return null;
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 255);
    }
    buffer &= (1 << bits) - 1;
  }
  // Leftover bits must be zero padding shorter than a whole character.
  if (bits >= 5 || buffer !== 0) return null;
  return Buffer.from(bytes);
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The bytes of a base64url token, or null unless the text is their one canonical encoding: Node
 * decodes leniently, and several strings must never carry the same signature.
 */
export function decodeCanonicalBase64url(token: string): Buffer | null {
  if (!BASE64URL.test(token)) return null;
  const bytes = Buffer.from(token, 'base64url');
  return bytes.toString('base64url') === token ? bytes : null;
}

/** Reads a token's fields in order; every read answers null once the bytes run out. */
export class ByteReader {
  offset = 0;
  constructor(readonly bytes: Buffer) {}

  take(length: number): Buffer | null {
    if (this.offset + length > this.bytes.length) return null;
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  varint(): number | null {
    const decoded = decodeVarint(this.bytes, this.offset);
    if (!decoded) return null;
    this.offset = decoded.next;
    return decoded.value;
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Strict UTF-8: null for bytes that are not, so a token never carries a replacement character. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return UTF8.decode(bytes);
  } catch {
    return null;
  }
}
