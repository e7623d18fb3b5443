import type { Category, Db } from '@herald/db';

/** Every category, transactional ones first, then by key. */
export function listCategories(db: Db): Promise<Category[]> {
  return db.category.findMany({ orderBy: [{ class: 'asc' }, { key: 'asc' }] });
}
