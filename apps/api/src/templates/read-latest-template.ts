import type { Db } from '@herald/db';
import { DomainError } from '../core/domain-error.js';
import { findTemplate, type StoredTemplate } from './find-template.js';

/**
 * The latest version of a template's default, or of its `locale` translation, as stored now
 * (uncached: what an editor just saved shows at once).
 */
export async function readLatestTemplate(
  db: Db,
  key: string,
  locale?: string | null,
): Promise<StoredTemplate> {
  const template = await findTemplate(db, { key, locale: locale ?? null });
  if (!template && locale) {
    const hasDefault = await findTemplate(db, { key });
    if (hasDefault) throw new DomainError('not_found', `Template "${key}" has no "${locale}" translation.`);
  }
  if (!template) throw new DomainError('not_found', `No template with key "${key}".`);
  return template;
}
