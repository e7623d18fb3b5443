import type { Db } from '@herald/db';
import type { StoredTemplate } from './find-template.js';

/** The latest version of every template's default variant, by key. */
export function listLatestTemplates(db: Db): Promise<StoredTemplate[]> {
  return db.template.findMany({
    where: { locale: null },
    distinct: ['key'],
    orderBy: [{ key: 'asc' }, { version: 'desc' }],
    include: { category: true },
  });
}

/** The latest version of every translation, by key then locale. */
export function listLatestVariants(db: Db): Promise<StoredTemplate[]> {
  return db.template.findMany({
    where: { locale: { not: null } },
    distinct: ['key', 'locale'],
    orderBy: [{ key: 'asc' }, { locale: 'asc' }, { version: 'desc' }],
    include: { category: true },
  });
}
