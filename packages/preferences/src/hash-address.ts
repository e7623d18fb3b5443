import { createHash, createHmac } from 'node:crypto';
import { addressHashKey } from './address-hash-key.js';

export function normalizeAddress(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Marks a keyed hash. Hashes written before keys existed are bare hex, so a row says how it was
 * made; a later scheme would take another prefix.
 */
export const KEYED_HASH_PREFIX = 'hmac1:';

/**
 * The key of the suppression list and of feedback reports: HMAC-SHA256 of the normalized address
 * under HERALD_ADDRESS_HASH_KEY, prefixed. Keyed, so a copy of the database alone cannot tell
 * whether a given address is on the list (an unkeyed hash of an address is found by hashing a list
 * of candidate addresses). The key never changes: the list must keep matching an address long after
 * its contact was erased.
 */
export function hashAddress(email: string): string {
  const mac = createHmac('sha256', addressHashKey()).update(normalizeAddress(email), 'utf8');
  return `${KEYED_HASH_PREFIX}${mac.digest('hex')}`;
}

/** The unkeyed SHA-256 hex that rows written before HERALD_ADDRESS_HASH_KEY carry. */
export function legacyAddressHash(email: string): string {
  return createHash('sha256').update(normalizeAddress(email), 'utf8').digest('hex');
}

/**
 * Every hash the address may be stored under: the keyed one (what is written now) and the legacy
 * one. Lookups match both, so an address suppressed before keyed hashes is still never mailed.
 */
export function addressHashes(email: string): [keyed: string, legacy: string] {
  return [hashAddress(email), legacyAddressHash(email)];
}
