import type { CreateApiKeyInput, CreatedApiKey } from '@herald/contract';
import type { Db } from '@herald/db';
import { randomBytes } from 'node:crypto';
import { recordAudit } from '../core/record-audit.js';
import { sha256Hex } from '../core/sha256-hex.js';
import { toApiKeyView } from './api-key-view.js';

/** How many of the key's first characters lists show, to tell keys apart. */
const PREFIX_LENGTH = 8;

/**
 * A new named key: 32 random bytes behind "hk_", of which only the SHA-256 and the first eight
 * characters are stored. The key itself is in this answer and nowhere else. The audit row is
 * written in the same transaction.
 */
export async function createApiKey(
  db: Db,
  { input, actor }: { input: CreateApiKeyInput; actor: string },
): Promise<CreatedApiKey> {
  const key = `hk_${randomBytes(32).toString('base64url')}`;
  const created = await db.$transaction(async (tx) => {
    const row = await tx.apiKey.create({
      data: {
        name: input.name,
        prefix: key.slice(0, PREFIX_LENGTH),
        keyHash: sha256Hex(key),
        scopes: input.scopes,
        createdBy: actor,
      },
    });
    await recordAudit(tx, {
      actor,
      action: 'api-key.created',
      targetType: 'api-key',
      targetId: row.id,
      details: { name: row.name, prefix: row.prefix, scopes: row.scopes },
    });
    return row;
  });
  return { ...toApiKeyView(created), key };
}
