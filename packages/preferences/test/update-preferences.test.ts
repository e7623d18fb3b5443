import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PreferencesError } from '../src/preferences-error.js';
import { updatePreferences } from '../src/update-preferences.js';
import {
  connect,
  consentLog,
  createCategory,
  createContact,
  preferenceRows,
  type CategoryFixture,
} from './support/database.js';

const db = connect();
let newsletter: CategoryFixture;
let offers: CategoryFixture;
let optInOnly: CategoryFixture;
let security: CategoryFixture;

beforeAll(async () => {
  newsletter = await createCategory(db, { class: 'promotional' });
  offers = await createCategory(db, { class: 'promotional' });
  optInOnly = await createCategory(db, { class: 'promotional', defaultSubscribed: false });
  security = await createCategory(db, { class: 'transactional', required: true });
});
afterAll(() => db.$disconnect());

async function expectPreferencesError(promise: Promise<unknown>, code: string, message?: RegExp) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PreferencesError);
  expect((error as PreferencesError).code).toBe(code);
  if (message) expect((error as PreferencesError).message).toMatch(message);
}

describe('updatePreferences', () => {
  it('writes the preference rows, the opt-out flag and one log row per change', async () => {
    const contact = await createContact(db);
    const messageId = randomUUID();
    const result = await updatePreferences(db, {
      contactId: contact.id,
      changes: [
        { categoryKey: newsletter.key, subscribed: false },
        { categoryKey: offers.key, subscribed: true },
        { categoryKey: optInOnly.key, subscribed: true },
      ],
      allPromotional: false,
      source: 'preference-center',
      messageId,
      userAgent: 'Mozilla/5.0',
      ipHash: 'abc123',
    });

    // offers is already subscribed by default: no change, no row.
    expect(result.changed).toEqual([
      { categoryKey: newsletter.key, subscribed: false },
      { categoryKey: optInOnly.key, subscribed: true },
      { categoryKey: null, subscribed: false },
    ]);
    const rows = await preferenceRows(db, contact.id);
    expect(Object.fromEntries(rows.map((row) => [row.categoryKey, row.subscribed]))).toEqual({
      [newsletter.key]: false,
      [optInOnly.key]: true,
    });
    const stored = await db.contact.findUniqueOrThrow({ where: { id: contact.id } });
    expect(stored.promotionalOptOut).toBe(true);

    const log = await consentLog(db, contact.id);
    expect(log.map((row) => [row.categoryKey, row.action, row.source])).toEqual([
      [newsletter.key, 'unsubscribe', 'preference_center'],
      [optInOnly.key, 'subscribe', 'preference_center'],
      [null, 'unsubscribe', 'preference_center'],
    ]);
    expect(log.every((row) => row.messageId === messageId && row.userAgent === 'Mozilla/5.0')).toBe(true);
    expect(log[0]?.ipHash).toBe('abc123');
  });

  it('records the actor and reason of a support agent, and resubscribes', async () => {
    const contact = await createContact(db);
    await updatePreferences(db, {
      contactId: contact.id,
      changes: [{ categoryKey: newsletter.key, subscribed: false }],
      source: 'admin',
      actor: 'agent@example.com',
      reason: 'asked by phone',
    });
    const { changed } = await updatePreferences(db, {
      contactId: contact.id,
      changes: [{ categoryKey: newsletter.key, subscribed: true }],
      allPromotional: true,
      source: 'unsubscribe-page',
    });
    expect(changed).toEqual([{ categoryKey: newsletter.key, subscribed: true }]);
    const log = await consentLog(db, contact.id);
    expect(log.map((row) => [row.action, row.source, row.actor, row.reason])).toEqual([
      ['unsubscribe', 'admin', 'agent@example.com', 'asked by phone'],
      ['subscribe', 'unsubscribe_page', null, null],
    ]);
    expect((await preferenceRows(db, contact.id))[0]?.subscribed).toBe(true);
  });

  it('is idempotent: repeating a change writes no second log row', async () => {
    const contact = await createContact(db);
    const change = {
      contactId: contact.id,
      changes: [{ categoryKey: newsletter.key, subscribed: false }],
      source: 'api' as const,
    };
    expect((await updatePreferences(db, change)).changed).toHaveLength(1);
    expect((await updatePreferences(db, change)).changed).toEqual([]);
    expect(await consentLog(db, contact.id)).toHaveLength(1);
  });

  it('logs exactly one of many simultaneous identical unsubscribes', async () => {
    const contact = await createContact(db);
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        updatePreferences(db, {
          contactId: contact.id,
          changes: [{ categoryKey: newsletter.key, subscribed: false }],
          allPromotional: false,
          source: 'preference-center',
        }),
      ),
    );
    expect(results.filter((result) => result.changed.length > 0)).toHaveLength(1);
    expect(await consentLog(db, contact.id)).toHaveLength(2);
  });

  it('refuses to unsubscribe a required category and writes nothing', async () => {
    const contact = await createContact(db);
    await expectPreferencesError(
      updatePreferences(db, {
        contactId: contact.id,
        changes: [
          { categoryKey: newsletter.key, subscribed: false },
          { categoryKey: security.key, subscribed: false },
        ],
        allPromotional: false,
        source: 'preference-center',
      }),
      'required-category',
      new RegExp(security.key),
    );
    expect(await preferenceRows(db, contact.id)).toEqual([]);
    expect(await consentLog(db, contact.id)).toEqual([]);
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).promotionalOptOut).toBe(false);
  });

  it('treats subscribing to a required category as no change', async () => {
    const contact = await createContact(db);
    const result = await updatePreferences(db, {
      contactId: contact.id,
      changes: [{ categoryKey: security.key, subscribed: true }],
      source: 'preference-center',
    });
    expect(result.changed).toEqual([]);
    expect(await consentLog(db, contact.id)).toEqual([]);
  });

  it('names unknown categories and writes nothing', async () => {
    const contact = await createContact(db);
    await expectPreferencesError(
      updatePreferences(db, {
        contactId: contact.id,
        changes: [
          { categoryKey: newsletter.key, subscribed: false },
          { categoryKey: 'no-such-category', subscribed: false },
        ],
        source: 'api',
      }),
      'unknown-category',
      /no-such-category/,
    );
    expect(await preferenceRows(db, contact.id)).toEqual([]);
    expect(await consentLog(db, contact.id)).toEqual([]);
  });

  it('rejects unknown contacts, erased contacts and malformed input', async () => {
    await expectPreferencesError(
      updatePreferences(db, { contactId: randomUUID(), changes: [], allPromotional: false, source: 'api' }),
      'unknown-contact',
    );
    const erased = await db.contact.create({ data: { email: null, erasedAt: new Date() } });
    await expectPreferencesError(
      updatePreferences(db, { contactId: erased.id, changes: [], allPromotional: false, source: 'api' }),
      'erased-contact',
    );
    const contact = await createContact(db);
    await expectPreferencesError(
      updatePreferences(db, {
        contactId: contact.id,
        changes: [
          { categoryKey: newsletter.key, subscribed: false },
          { categoryKey: newsletter.key, subscribed: true },
        ],
        source: 'api',
      }),
      'invalid-input',
      /more than once/,
    );
    await expectPreferencesError(
      // @ts-expect-error: a source the log does not know
      updatePreferences(db, { contactId: contact.id, changes: [], source: 'carrier-pigeon' }),
      'invalid-input',
      /source/,
    );
    await expectPreferencesError(
      updatePreferences(db, { contactId: contact.id, changes: [], source: 'api', messageId: 'not-a-uuid' }),
      'invalid-input',
      /messageId/,
    );
  });

  it("joins a caller's transaction and rolls back with it", async () => {
    const contact = await createContact(db);
    const failure = db.$transaction(async (tx) => {
      const result = await updatePreferences(tx, {
        contactId: contact.id,
        changes: [{ categoryKey: newsletter.key, subscribed: false }],
        source: 'api',
      });
      expect(result.changed).toHaveLength(1);
      throw new Error('caller failed after the update');
    });
    await expect(failure).rejects.toThrow('caller failed');
    expect(await preferenceRows(db, contact.id)).toEqual([]);
    expect(await consentLog(db, contact.id)).toEqual([]);
  });
});
