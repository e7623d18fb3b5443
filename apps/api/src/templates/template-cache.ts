import type { Db } from '@herald/db';
import { findTemplate, type StoredTemplate } from './find-template.js';

/**
 * Stored templates, looked up once. A version never changes, so one loaded by id is kept for good;
 * the latest version of a key is kept for `ttlMs`: saving a version in this process forgets the key
 * at once, another process sees it within `ttlMs`.
 */
export class TemplateCache {
  private readonly latestByKey = new Map<string, { template: StoredTemplate | null; expiresAt: number }>();
  private readonly versions = new Map<string, StoredTemplate>();

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 2000,
  ) {}

  async latest(key: string): Promise<StoredTemplate | null> {
    const cached = this.latestByKey.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.template;
    const template = await findTemplate(this.db, { key });
    this.latestByKey.set(key, { template, expiresAt: Date.now() + this.ttlMs });
    return template;
  }

  /** A version messages refer to; they never outlive it, so a missing one is a bug, not a caller's mistake. */
  async version(id: string): Promise<StoredTemplate> {
    const cached = this.versions.get(id);
    if (cached) return cached;
    const template = await findTemplate(this.db, { id });
    if (!template) throw new Error(`template version ${id} does not exist`);
    this.versions.set(id, template);
    return template;
  }

  forget(key: string): void {
    this.latestByKey.delete(key);
  }
}
