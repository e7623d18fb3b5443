import { createHash } from 'node:crypto';
import { Prisma } from '@herald/db';
import { addressHashKey } from './address-hash-key.js';
import { KEYED_HASH_PREFIX } from './hash-address.js';

const HMAC_BLOCK_BYTES = 64;

/**
 * `hashColumn` matches one of the hashes of the address in `emailColumn`, computed in SQL for
 * set-based statements (the campaign fan-out filters a page of contacts at once): the keyed hash
 * as hash-address.ts makes it, and the legacy unkeyed one. PostgreSQL has sha256() but no HMAC
 * without pgcrypto, so the HMAC is spelled out (RFC 2104): SHA-256 of the outer padded key and
 * SHA-256 of the inner padded key and the message. The padded keys are query parameters.
 */
export function addressHashMatchSql(hashColumn: Prisma.Sql, emailColumn: Prisma.Sql): Prisma.Sql {
  const { inner, outer } = paddedKeys(addressHashKey());
  const normalized = Prisma.sql`convert_to(lower(trim(${emailColumn})), 'UTF8')`;
  return Prisma.sql`${hashColumn} IN (
    ${KEYED_HASH_PREFIX} || encode(sha256(${outer}::bytea || sha256(${inner}::bytea || ${normalized})), 'hex'),
    encode(sha256(${normalized}), 'hex'))`;
}

function paddedKeys(key: Buffer): { inner: Buffer; outer: Buffer } {
  const block = Buffer.alloc(HMAC_BLOCK_BYTES);
  (key.length > HMAC_BLOCK_BYTES ? createHash('sha256').update(key).digest() : key).copy(block);
  return {
    inner: Buffer.from(block.map((byte) => byte ^ 0x36)),
    outer: Buffer.from(block.map((byte) => byte ^ 0x5c)),
  };
}
