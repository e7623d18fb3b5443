import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyUnsubscribe } from '../src/apply-unsubscribe.js';
import { getPreferences } from '../src/get-preferences.js';
import { updatePreferences } from '../src/update-preferences.js';
import { connect, createCategory, createContact, type CategoryFixture } from './support/database.js';

const db = connect();
let newsletter: CategoryFixture;
let optInOnly: CategoryFixture;
let security: CategoryFixture;
let collaboration: CategoryFixture;

beforeAll(async () => {
  newsletter = await createCategory(db, { class: 'promotional' });
  optInOnly = await createCategory(db, { class: 'promotional', defaultSubscribed: false });
  security = await createCategory(db, { class: 'transactional', required: true });
  collaboration = await createCategory(db, { class: 'transactional' });
});
afterAll(() => db.$disconnect());

describe('getPreferences', () => {
  it('shows defaults, explicit choices and locked required categories', async () => {
    const contact = await createContact(db);
    await updatePreferences(db, {
      contactId: contact.id,
      changes: [
        { categoryKey: newsletter.key, subscribed: false },
        { categoryKey: optInOnly.key, subscribed: true },
      ],
      source: 'preference-center',
    });
    // A row written before a category became required must not show it unsubscribed.
    await db.preference.create({
      data: { contactId: contact.id, categoryKey: security.key, subscribed: false },
    });

    const preferences = await getPreferences(db, { contactId: contact.id });
    expect(preferences.allPromotional).toEqual({ subscribed: true });
    const mine = preferences.categories.filter((category) =>
      [newsletter.key, optInOnly.key, security.key, collaboration.key].includes(category.key),
    );
    expect(
      mine.map(({ key, class: kind, required, subscribed, locked }) => ({
        key,
        kind,
        required,
        subscribed,
        locked,
      })),
    ).toEqual([
      { key: security.key, kind: 'transactional', required: true, subscribed: true, locked: true },
      { key: collaboration.key, kind: 'transactional', required: false, subscribed: true, locked: false },
      ...[
        { key: newsletter.key, kind: 'promotional', required: false, subscribed: false, locked: false },
        { key: optInOnly.key, kind: 'promotional', required: false, subscribed: true, locked: false },
      ].sort((a, b) => a.key.localeCompare(b.key)),
    ]);
    expect(mine[0]?.name).toBe(`Category ${security.key}`);
    expect(mine[0]?.description).toBe(`Test category ${security.key}`);

    // Every transactional category comes before every promotional one.
    const classes = preferences.categories.map((category) => category.class);
    expect(classes.lastIndexOf('transactional')).toBeLessThan(classes.indexOf('promotional'));
  });

  it('reports the "all promotional" opt-out', async () => {
    const contact = await createContact(db);
    await applyUnsubscribe(db, {
      contactId: contact.id,
      scope: { kind: 'all-promotional' },
      source: 'one-click',
    });
    expect((await getPreferences(db, { contactId: contact.id })).allPromotional).toEqual({
      subscribed: false,
    });
  });

  it('rejects unknown and erased contacts', async () => {
    await expect(getPreferences(db, { contactId: randomUUID() })).rejects.toMatchObject({
      code: 'unknown-contact',
    });
    const erased = await db.contact.create({ data: { email: null, erasedAt: new Date() } });
    await expect(getPreferences(db, { contactId: erased.id })).rejects.toMatchObject({
      code: 'erased-contact',
    });
    await expect(getPreferences(db, { contactId: 'nope' })).rejects.toMatchObject({ code: 'invalid-input' });
  });
});
