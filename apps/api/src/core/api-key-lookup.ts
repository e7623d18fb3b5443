import { Logger } from '@nestjs/common';
import type { Db } from '@herald/db';
import type { Caller } from './caller.js';

/** How long a key found valid is trusted without reading api_keys again: a revocation reaches every API process within it. */
export const KEY_CACHE_MS = 5_000;
/** Keys held in memory at once; the oldest goes first. */
const KEY_CACHE_ENTRIES = 1_000;
/** lastUsedAt is written at most this often per key, not on every request. */
const LAST_USED_EVERY_MS = 60_000;

export type KeyLookup = { state: 'valid'; caller: Caller } | { state: 'revoked' } | { state: 'unknown' };

interface Entry {
  id: string;
  caller: Caller;
  until: number;
}

/**
 * Named API keys (api_keys), found by the SHA-256 of the key. A valid key is kept in memory for
 * KEY_CACHE_MS, bounded, so a busy caller costs no read per request; unknown and revoked keys are
 * read every time, so a new key works at once. Revoking through this process forgets the key at once.
 */
export class ApiKeyLookup {
  private readonly logger = new Logger('ApiKeyLookup');
  private readonly valid = new Map<string, Entry>();
  /** When this process last wrote each key's lastUsedAt. */
  private readonly lastUsedWritten = new Map<string, number>();

  constructor(private readonly db: Db) {}

  async find(keyHash: string): Promise<KeyLookup> {
    const now = Date.now();
    let entry = this.valid.get(keyHash);
    if (!entry || entry.until <= now) {
      this.valid.delete(keyHash);
      const row = await this.db.apiKey.findUnique({
        where: { keyHash },
        select: { id: true, name: true, scopes: true, revokedAt: true },
      });
      if (!row) return { state: 'unknown' };
      if (row.revokedAt) return { state: 'revoked' };
      entry = {
        id: row.id,
        caller: { actor: `key:${row.name}`, scopes: new Set(row.scopes), bootstrap: false },
        until: now + KEY_CACHE_MS,
      };
      remember(this.valid, keyHash, entry);
    }
    await this.recordUse(entry.id, now);
    return { state: 'valid', caller: entry.caller };
  }

  forget(keyHash: string): void {
    this.valid.delete(keyHash);
  }

  /**
   * At most one write a minute per key, across processes too (the update is conditional on the
   * stored value). A failed write is logged and the request goes on: it is a record, not a check.
   */
  private async recordUse(id: string, now: number): Promise<void> {
    if (now - (this.lastUsedWritten.get(id) ?? 0) < LAST_USED_EVERY_MS) return;
    remember(this.lastUsedWritten, id, now);
    try {
      await this.db.apiKey.updateMany({
        where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now - LAST_USED_EVERY_MS) } }] },
        data: { lastUsedAt: new Date(now) },
      });
    } catch (error) {
      this.logger.warn(`lastUsedAt of key ${id} not recorded: ${(error as Error).message}`);
    }
  }
}

/** Sets a key in an insertion-ordered map of at most KEY_CACHE_ENTRIES, dropping the oldest. */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > KEY_CACHE_ENTRIES) map.delete(map.keys().next().value as string);
}
