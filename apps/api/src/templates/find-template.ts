import type { Category, Db, Template } from '@herald/db';

export type StoredTemplate = Template & { category: Category };

/**
 * The one lookup of a stored template version with its category: a given version by id, or the
 * latest version of a key's default variant (or of its `locale` variant). Null when there is none.
 */
export function findTemplate(
  db: Db,
  by: { id: string } | { key: string; locale?: string | null },
): Promise<StoredTemplate | null> {
  if ('id' in by) return db.template.findUnique({ where: { id: by.id }, include: { category: true } });
  return db.template.findFirst({
    where: { key: by.key, locale: by.locale ?? null },
    orderBy: { version: 'desc' },
    include: { category: true },
  });
}

/** The latest version of each translation of a key (not its default), by locale. */
export function findVariants(db: Db, key: string): Promise<StoredTemplate[]> {
  return db.template.findMany({
    where: { key, locale: { not: null } },
    distinct: ['locale'],
    orderBy: [{ locale: 'asc' }, { version: 'desc' }],
    include: { category: true },
  });
}
