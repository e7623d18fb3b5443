import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const uniqueKey = (label: string) => `${label}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6)}`;

describe('category translations (docs/decisions/021-page-translations.md)', () => {
  it('are accepted on create, stored by canonical tag, listed, and replaced whole on update', async () => {
    const key = uniqueKey('digest');
    const created = await h.request('POST', '/v1/categories', {
      key,
      name: 'Digest',
      description: 'A weekly digest.',
      class: 'promotional',
      translations: {
        de: { name: 'Wochenüberblick', description: 'Einmal pro Woche das Wichtigste.' },
        'de-at': { name: 'Wochenschau' },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.translations).toEqual({
      de: { name: 'Wochenüberblick', description: 'Einmal pro Woche das Wichtigste.' },
      'de-AT': { name: 'Wochenschau' },
    });

    const listed = await h.request('GET', '/v1/categories');
    const found = listed.body.categories.find((category: { key: string }) => category.key === key);
    expect(found.translations['de-AT']).toEqual({ name: 'Wochenschau' });

    const updated = await h.request('PATCH', `/v1/categories/${key}`, {
      translations: { fr: { name: 'Résumé hebdomadaire' } },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      key,
      name: 'Digest',
      class: 'promotional',
      translations: { fr: { name: 'Résumé hebdomadaire' } },
    });
    expect(updated.body.translations.de).toBeUndefined();

    const renamed = await h.request('PATCH', `/v1/categories/${key}`, { name: 'Weekly digest' });
    expect(renamed.body).toMatchObject({
      name: 'Weekly digest',
      translations: { fr: { name: 'Résumé hebdomadaire' } },
    });
  });

  it('refuses what the pages could not use, with a 400 that names the problem', async () => {
    const base = { name: 'X', description: 'x', class: 'promotional' };
    const cases: Array<[unknown, string]> = [
      [{ german: { name: 'Digest' } }, 'german'],
      [{ de_AT: { name: 'Digest' } }, 'de_AT'],
      [{ de: { description: 'no name' } }, 'de.name'],
      [{ de: { name: '' } }, 'de.name'],
      [{ de: { name: 'Digest', colour: 'blue' } }, 'colour'],
      [{ de: 'Digest' }, 'de'],
      [{ de: { name: 'A' }, DE: { name: 'B' } }, 'repeats'],
      [['de'], 'translations'],
    ];
    for (const [translations, named] of cases) {
      const response = await h.request('POST', '/v1/categories', {
        ...base,
        key: uniqueKey('bad'),
        translations,
      });
      expect(response.status, JSON.stringify(translations)).toBe(400);
      expect(JSON.stringify(response.body.error), JSON.stringify(translations)).toContain(named);
    }
  });

  it('update: an unknown category is a 404, an empty or unknown field a 400, the class cannot change', async () => {
    const missing = await h.request('PATCH', '/v1/categories/no-such-category', {
      translations: { de: { name: 'Nichts' } },
    });
    expect(missing.status).toBe(404);
    expect((await h.request('PATCH', '/v1/categories/newsletter', {})).status).toBe(400);
    const classChange = await h.request('PATCH', '/v1/categories/newsletter', { class: 'transactional' });
    expect(classChange.status).toBe(400);
    expect(classChange.body.error.message).toContain('class');
  });
});
