import type { Category, Db, Template } from '@herald/db';

export type StoredTemplate = Template & { category: Category };

/**
 * The one lookup of a stored template version with its category: a given version by id, or the
 * latest version of a key. Null when there is none.
 */
export function findTemplate(db: Db, by: { id: string } | { key: string }): Promise<StoredTemplate | null> {
  if ('id' in by) return db.template.findUnique({ where: { id: by.id }, include: { category: true } });
  return db.template.findFirst({
    where: { key: by.key },
    orderBy: { version: 'desc' },
    include: { category: true },
  });
}
