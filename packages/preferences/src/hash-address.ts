import { createHash, createHmac } from 'node:crypto';

export function normalizeAddress(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * SHA-256 hex of the normalized address. Unsalted on purpose: the hash is the key of the
 * suppression list, which must keep matching across deploys and after the address itself
 * has been erased.
 */
export function hashAddress(email: string): string {
  return createHash('sha256').update(normalizeAddress(email), 'utf8').digest('hex');
}

/**
 * Keyed hash of a client IP for the consent log, which never stores the address itself.
 * IPv4-mapped IPv6 addresses hash like their IPv4 form, so one client gets one hash.
 */
export function hashClientIp(ip: string, salt: string): string {
  const normalized = ip
    .trim()
    .toLowerCase()
    .replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  return createHmac('sha256', salt).update(normalized, 'utf8').digest('hex');
}
