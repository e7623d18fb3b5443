// RFC 4648 base32, lower-cased, without padding: survives mail systems that change the
// case of an address's local part.
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

export function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** Case-insensitive. Returns null for anything but the canonical encoding of some bytes. */
export function decodeBase32(text: string): Buffer | null {
  const lower = text.toLowerCase();
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of lower) {
    const value = ALPHABET.indexOf(char);
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
