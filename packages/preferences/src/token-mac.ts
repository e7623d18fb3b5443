import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 truncated to `length` bytes. */
export function computeMac(secret: Buffer, data: Uint8Array, length: number): Buffer {
  return createHmac('sha256', secret).update(data).digest().subarray(0, length);
}

export function isMacValid(secret: Buffer, data: Uint8Array, mac: Uint8Array): boolean {
  const expected = computeMac(secret, data, mac.length);
  return timingSafeEqual(expected, mac);
}
