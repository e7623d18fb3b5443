import type { ApiKeyView } from '@herald/contract';
import type { Db } from '@herald/db';
import { notFound } from '../core/domain-error.js';
import { recordAudit } from '../core/record-audit.js';
import { toApiKeyView } from './api-key-view.js';

/**
 * Revokes a key: from then on it gets 401. Idempotent: revoking a revoked key changes nothing and
 * writes no second audit row. Answers the key's hash too, for the caller to drop it from its cache.
 */
export async function revokeApiKey(
  db: Db,
  { id, actor }: { id: string; actor: string },
): Promise<{ view: ApiKeyView; keyHash: string }> {
  return db.$transaction(async (tx) => {
    const [revoked] = await tx.apiKey.updateManyAndReturn({
      where: { id, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (revoked) {
      await recordAudit(tx, {
        actor,
        action: 'api-key.revoked',
        targetType: 'api-key',
        targetId: id,
        details: { name: revoked.name, prefix: revoked.prefix },
      });
      return { view: toApiKeyView(revoked), keyHash: revoked.keyHash };
    }
    const existing = await tx.apiKey.findUnique({ where: { id } });
    if (!existing) throw notFound('API key', id);
    return { view: toApiKeyView(existing), keyHash: existing.keyHash };
  });
}
