import type { Db } from '@herald/db';
import type { TemplateWithCategory } from './template-source.js';

type LatestTemplate = TemplateWithCategory & { version: number };

/**
 * The latest version of each template, looked up once per key and kept for `ttlMs`. Saving a
 * version in this process forgets the key at once; another API process sees it within `ttlMs`.
 */
export class LatestTemplateCache {
  private readonly entries = new Map<string, { template: LatestTemplate | null; expiresAt: number }>();

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 2000,
  ) {}

  async get(key: string): Promise<LatestTemplate | null> {
    const cached = this.entries.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.template;
    const template = await this.db.template.findFirst({
      where: { key },
      orderBy: { version: 'desc' },
      include: { category: true },
    });
    this.entries.set(key, { template, expiresAt: Date.now() + this.ttlMs });
    return template;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
