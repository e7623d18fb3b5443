import type { Db } from '@herald/db';
import { DomainError } from '../core/domain-error.js';
import { findTemplate, type StoredTemplate } from './find-template.js';

/** The latest version of a template, as stored now (uncached: what an editor just saved shows at once). */
export async function readLatestTemplate(db: Db, key: string): Promise<StoredTemplate> {
  const template = await findTemplate(db, { key });
  if (!template) throw new DomainError('not_found', `No template with key "${key}".`);
  return template;
}
