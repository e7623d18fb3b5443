import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPrismaClient, type Db } from '@herald/db';
import { seedTemplates } from '@herald/templates';
import { seedStandardData } from '../prisma/seed.js';

/**
 * The seed is run on every deploy (`npx prisma db seed`) against a database of any age: it adds a
 * version only when a seed template's text changed, and gives a current version saved before
 * templates kept MJML's output that output, so workers never need MJML for the seed templates.
 */
let db: Db;
beforeAll(() => {
  db = createPrismaClient({ databaseUrl: process.env.DATABASE_URL ?? '', maxConnections: 2 });
});
afterAll(async () => db?.$disconnect());

it('fills the stored HTML of current seed versions that lack it, adding no version', async () => {
  const before = await db.template.findMany({ orderBy: [{ key: 'asc' }, { version: 'asc' }] });
  expect(before.every((row) => row.html?.startsWith('<!doctype html>'))).toBe(true);
  await db.template.updateMany({ data: { html: null } });

  const result = await seedStandardData(db);

  expect(result.templateVersions).toBe(0);
  const after = await db.template.findMany({ orderBy: [{ key: 'asc' }, { version: 'asc' }] });
  expect(after.map((row) => [row.id, row.html])).toEqual(before.map((row) => [row.id, row.html]));
  // One row per seed template and per translation of it.
  const variant = (row: { key: string; locale: string | null }) => `${row.key}:${row.locale ?? ''}`;
  expect(after.map(variant).sort()).toEqual(
    seedTemplates
      .flatMap((template) => [
        `${template.key}:`,
        ...template.variants.map((translation) => `${template.key}:${translation.locale}`),
      ])
      .sort(),
  );
  // A second run has nothing left to do.
  expect((await seedStandardData(db)).templateVersions).toBe(0);
});

it('gives the seed categories their translations where they have none, and keeps ones set since', async () => {
  await db.category.update({ where: { key: 'security' }, data: { translations: {} } });
  await db.category.update({
    where: { key: 'newsletter' },
    data: { translations: { fr: { name: 'La lettre' } } },
  });

  await seedStandardData(db);

  const security = await db.category.findUniqueOrThrow({ where: { key: 'security' } });
  expect(security.translations).toMatchObject({ de: { name: 'Sicherheit' }, ar: { name: 'الأمان' } });
  const newsletter = await db.category.findUniqueOrThrow({ where: { key: 'newsletter' } });
  expect(newsletter.translations).toEqual({ fr: { name: 'La lettre' } });
});
