import type { Db } from '@herald/db';
import { findTemplate, findVariants, type StoredTemplate } from './find-template.js';

/**
 * Stored templates, looked up once. A version never changes, so one loaded by id is kept until it
 * is among the least recently used; the latest version of a key is kept for `ttlMs`: saving a
 * version in this process forgets the key at once, another process sees it within `ttlMs`. Each
 * map holds at most `maxEntries` (callers may ask for any key, known or not). A key's translations
 * (the latest version of each) are kept like its latest version.
 */
export class TemplateCache {
  private readonly latestByKey = new Map<string, { template: StoredTemplate | null; expiresAt: number }>();
  private readonly versions = new Map<string, StoredTemplate>();
  private readonly variantsByKey = new Map<
    string,
    { variants: ReadonlyMap<string, StoredTemplate>; expiresAt: number }
  >();

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 2000,
    private readonly maxEntries = 500,
  ) {}

  async latest(key: string): Promise<StoredTemplate | null> {
    const cached = this.latestByKey.get(key);
    if (cached && cached.expiresAt > Date.now()) return this.keep(this.latestByKey, key, cached).template;
    const template = await findTemplate(this.db, { key });
    this.keep(this.latestByKey, key, { template, expiresAt: Date.now() + this.ttlMs });
    return template;
  }

  /** A version messages refer to; they never outlive it, so a missing one is a bug, not a caller's mistake. */
  async version(id: string): Promise<StoredTemplate> {
    const cached = this.versions.get(id);
    if (cached) return this.keep(this.versions, id, cached);
    const template = await findTemplate(this.db, { id });
    if (!template) throw new Error(`template version ${id} does not exist`);
    return this.keep(this.versions, id, template);
  }

  /** The latest version of each translation of a key, by locale (empty when it has none). */
  async variants(key: string): Promise<ReadonlyMap<string, StoredTemplate>> {
    const cached = this.variantsByKey.get(key);
    if (cached && cached.expiresAt > Date.now()) return this.keep(this.variantsByKey, key, cached).variants;
    const found = await findVariants(this.db, key);
    const variants = new Map(found.map((variant) => [variant.locale ?? '', variant]));
    this.keep(this.variantsByKey, key, { variants, expiresAt: Date.now() + this.ttlMs });
    return variants;
  }

  forget(key: string): void {
    this.latestByKey.delete(key);
    this.variantsByKey.delete(key);
  }

  /** A Map iterates in insertion order: re-inserting on use keeps the least recently used first. */
  private keep<V>(map: Map<string, V>, key: string, value: V): V {
    map.delete(key);
    map.set(key, value);
    for (const oldest of map.keys()) {
      if (map.size <= this.maxEntries) break;
      map.delete(oldest);
    }
    return value;
  }
}
