import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type Db } from '@herald/db';
import { TemplateCache } from '../src/templates/template-cache.js';

/** The template cache keeps at most its bound, whatever keys callers ask for, and the most recently used. */
let db: Db;

beforeAll(() => {
  db = createPrismaClient({ databaseUrl: process.env.DATABASE_URL ?? '', maxConnections: 2 });
});

afterAll(async () => {
  await db?.$disconnect();
});

describe('template cache', () => {
  it('keeps the most recently used latest versions up to its bound and loads an evicted one again', async () => {
    const cache = new TemplateCache(db, 60_000, 2);
    const notice = await cache.latest('service-notice');
    expect(notice?.key).toBe('service-notice');
    expect(await cache.latest('service-notice')).toBe(notice);

    const security = await cache.latest('security-sign-in');
    expect(await cache.latest('service-notice')).toBe(notice);
    // Unknown keys take room too: a caller sending made-up keys cannot grow the cache.
    expect(await cache.latest('no-such-template')).toBeNull();

    expect(await cache.latest('service-notice')).toBe(notice);
    const reloaded = await cache.latest('security-sign-in');
    expect(reloaded).not.toBe(security);
    expect(reloaded).toEqual(security);
  });

  it('keeps at most its bound of versions by id', async () => {
    const cache = new TemplateCache(db, 60_000, 2);
    const ids = await db.template.findMany({ select: { id: true }, take: 3, orderBy: { id: 'asc' } });
    expect(ids).toHaveLength(3);
    const [a, b, c] = ids.map((row) => row.id) as [string, string, string];
    const first = await cache.version(a);
    expect(await cache.version(a)).toBe(first);
    await cache.version(b);
    await cache.version(c);
    const again = await cache.version(a);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });
});
