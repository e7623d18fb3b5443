import type { Db } from '@herald/db';
import type { StoredTemplate } from './find-template.js';

/** The latest version of every template, by key. */
export function listLatestTemplates(db: Db): Promise<StoredTemplate[]> {
  return db.template.findMany({
    distinct: ['key'],
    orderBy: [{ key: 'asc' }, { version: 'desc' }],
    include: { category: true },
  });
}
