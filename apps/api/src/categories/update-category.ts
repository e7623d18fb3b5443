import type { UpdateCategoryInput } from '@herald/contract';
import type { Db } from '@herald/db';
import type { Caller } from '../core/caller.js';
import { DomainError } from '../core/domain-error.js';
import { recordAudit } from '../core/record-audit.js';

/**
 * Changes a category's wording, default or click tracking, and writes the audit entry in the same
 * transaction. Tracking a required category is refused: its mail (sign-in links, policy notices)
 * is sent to everyone whatever they chose, and its links may be capabilities.
 */
export async function updateCategory(db: Db, key: string, input: UpdateCategoryInput, caller: Caller) {
  return db.$transaction(async (tx) => {
    const [existing] = await tx.$queryRaw<{ key: string; required: boolean }[]>`
      SELECT key, required FROM categories WHERE key = ${key} FOR UPDATE`;
    if (!existing) throw new DomainError('not_found', `No category with key "${key}".`);
    if (input.trackClicks && existing.required) {
      throw new DomainError(
        'invalid_request',
        `Category "${key}" is required: its mail is never tracked (its links may be sign-in links, and nobody chose to receive it).`,
        { field: 'trackClicks' },
      );
    }
    const category = await tx.category.update({ where: { key }, data: input });
    await recordAudit(tx, {
      actor: caller.actor,
      action: 'category.updated',
      targetType: 'category',
      targetId: key,
      details: { ...input },
    });
    return category;
  });
}
