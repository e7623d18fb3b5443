import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyUnsubscribe } from '../src/apply-unsubscribe.js';
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
let optInOnly: CategoryFixture;
let serviceNotices: CategoryFixture;
let policyUpdates: CategoryFixture;

beforeAll(async () => {
  newsletter = await createCategory(db, { class: 'promotional' });
  optInOnly = await createCategory(db, { class: 'promotional', defaultSubscribed: false });
  serviceNotices = await createCategory(db, { class: 'transactional' });
  policyUpdates = await createCategory(db, { class: 'transactional', required: true });
});
afterAll(() => db.$disconnect());

describe('applyUnsubscribe', () => {
  it('unsubscribes a category and logs where the request came from', async () => {
    const contact = await createContact(db);
    const messageId = randomUUID();
    const campaignId = randomUUID();
    const result = await applyUnsubscribe(db, {
      contactId: contact.id,
      scope: { kind: 'category', categoryKey: newsletter.key },
      source: 'one-click',
      messageId,
      campaignId,
      userAgent: 'Gmail one-click\u0000',
      ipHash: 'f00d',
    });
    expect(result).toEqual({ changed: [{ categoryKey: newsletter.key, subscribed: false }] });
    expect((await preferenceRows(db, contact.id)).map((row) => [row.categoryKey, row.subscribed])).toEqual([
      [newsletter.key, false],
    ]);
    const [entry, ...rest] = await consentLog(db, contact.id);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      categoryKey: newsletter.key,
      action: 'unsubscribe',
      source: 'one_click',
      messageId,
      campaignId,
      userAgent: 'Gmail one-click',
      ipHash: 'f00d',
    });
    // Written with the database clock in UTC, like the rows Prisma writes.
    expect(Math.abs(entry!.occurredAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('unsubscribes an optional transactional category', async () => {
    const contact = await createContact(db);
    const result = await applyUnsubscribe(db, {
      contactId: contact.id,
      scope: { kind: 'category', categoryKey: serviceNotices.key },
      source: 'unsubscribe-page',
    });
    expect(result.changed).toEqual([{ categoryKey: serviceNotices.key, subscribed: false }]);
  });

  it('turns an explicit subscription off', async () => {
    const contact = await createContact(db);
    await updatePreferences(db, {
      contactId: contact.id,
      changes: [{ categoryKey: optInOnly.key, subscribed: true }],
      source: 'preference-center',
    });
    const result = await applyUnsubscribe(db, {
      contactId: contact.id,
      scope: { kind: 'category', categoryKey: optInOnly.key },
      source: 'mailto',
    });
    expect(result.changed).toEqual([{ categoryKey: optInOnly.key, subscribed: false }]);
    expect((await consentLog(db, contact.id)).map((row) => [row.action, row.source])).toEqual([
      ['subscribe', 'preference_center'],
      ['unsubscribe', 'mailto'],
    ]);
  });

  it('logs nothing when the category was never subscribed', async () => {
    const contact = await createContact(db);
    const result = await applyUnsubscribe(db, {
      contactId: contact.id,
      scope: { kind: 'category', categoryKey: optInOnly.key },
      source: 'one-click',
    });
    expect(result.changed).toEqual([]);
    expect(await consentLog(db, contact.id)).toEqual([]);
  });

  it('sets the "all promotional" opt-out', async () => {
    const contact = await createContact(db);
    const result = await applyUnsubscribe(db, {
      contactId: contact.id,
      scope: { kind: 'all-promotional' },
      source: 'unsubscribe-page',
    });
    expect(result.changed).toEqual([{ categoryKey: null, subscribed: false }]);
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).promotionalOptOut).toBe(true);
    expect((await consentLog(db, contact.id)).map((row) => [row.categoryKey, row.action])).toEqual([
      [null, 'unsubscribe'],
    ]);
  });

  it('changes nothing for a required category', async () => {
    const contact = await createContact(db);
    const result = await applyUnsubscribe(db, {
      contactId: contact.id,
      scope: { kind: 'category', categoryKey: policyUpdates.key },
      source: 'one-click',
    });
    expect(result.changed).toEqual([]);
    expect(await preferenceRows(db, contact.id)).toEqual([]);
    expect(await consentLog(db, contact.id)).toEqual([]);
  });

  it('changes nothing for an erased contact', async () => {
    const erased = await db.contact.create({ data: { email: null, erasedAt: new Date() } });
    for (const scope of [
      { kind: 'category', categoryKey: newsletter.key },
      { kind: 'all-promotional' },
    ] as const) {
      expect(await applyUnsubscribe(db, { contactId: erased.id, scope, source: 'one-click' })).toEqual({
        changed: [],
      });
    }
    expect(await preferenceRows(db, erased.id)).toEqual([]);
    expect(await consentLog(db, erased.id)).toEqual([]);
  });

  it('is idempotent for both scopes', async () => {
    const contact = await createContact(db);
    for (const scope of [
      { kind: 'category', categoryKey: newsletter.key },
      { kind: 'all-promotional' },
    ] as const) {
      const first = await applyUnsubscribe(db, { contactId: contact.id, scope, source: 'one-click' });
      const second = await applyUnsubscribe(db, { contactId: contact.id, scope, source: 'one-click' });
      expect(first.changed).toHaveLength(1);
      expect(second.changed).toEqual([]);
    }
    expect(await consentLog(db, contact.id)).toHaveLength(2);
  });

  it('logs exactly one of many simultaneous identical unsubscribes, beside a preference-center save', async () => {
    const contact = await createContact(db);
    const scopes = [{ kind: 'category', categoryKey: newsletter.key }, { kind: 'all-promotional' }] as const;
    const oneClicks = scopes.flatMap((scope) =>
      Array.from({ length: 10 }, () =>
        applyUnsubscribe(db, { contactId: contact.id, scope, source: 'one-click' }),
      ),
    );
    const save = updatePreferences(db, {
      contactId: contact.id,
      changes: [{ categoryKey: newsletter.key, subscribed: false }],
      allPromotional: false,
      source: 'preference-center',
    });
    await Promise.all([...oneClicks, save]);

    const log = await consentLog(db, contact.id);
    expect(log.filter((row) => row.categoryKey === newsletter.key)).toHaveLength(1);
    expect(log.filter((row) => row.categoryKey === null)).toHaveLength(1);
  });

  it('rejects an unknown contact or category with a typed error', async () => {
    const contact = await createContact(db);
    const unknownContact = applyUnsubscribe(db, {
      contactId: randomUUID(),
      scope: { kind: 'category', categoryKey: newsletter.key },
      source: 'one-click',
    });
    await expect(unknownContact).rejects.toMatchObject({ code: 'unknown-contact' });
    await expect(
      applyUnsubscribe(db, {
        contactId: randomUUID(),
        scope: { kind: 'all-promotional' },
        source: 'one-click',
      }),
    ).rejects.toMatchObject({ code: 'unknown-contact' });
    const unknownCategory = applyUnsubscribe(db, {
      contactId: contact.id,
      scope: { kind: 'category', categoryKey: 'gone-category' },
      source: 'one-click',
    });
    await expect(unknownCategory).rejects.toBeInstanceOf(PreferencesError);
    await expect(unknownCategory).rejects.toMatchObject({
      code: 'unknown-category',
      message: /gone-category/,
    });
    expect(await consentLog(db, contact.id)).toEqual([]);
  });
});
