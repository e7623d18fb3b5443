import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyUnsubscribe } from '../src/apply-unsubscribe.js';
import { eraseContact } from '../src/erase-contact.js';
import { hashAddress } from '../src/hash-address.js';
import { suppressAddress } from '../src/suppress-address.js';
import { updatePreferences } from '../src/update-preferences.js';
import {
  connect,
  consentLog,
  createCategory,
  createContact,
  preferenceRows,
  type CategoryFixture,
} from './support/database.js';

/*
 * Every consent write ends with its consent-log insert. A trigger makes that insert fail
 * for rows carrying a marker, so the failure happens after the state rows were written,
 * inside the same transaction; what must remain is exactly the state before the call.
 * The marker keeps the trigger invisible to every other test sharing this database.
 */
const FAILING_CAMPAIGN = '00000000-0000-4000-8000-0000000fa11a';
const FAILING_ACTOR = 'herald-test:fail-consent-log-insert';

const db = connect();
let newsletter: CategoryFixture;

beforeAll(async () => {
  newsletter = await createCategory(db, { class: 'promotional' });
  await db.$executeRawUnsafe(`
    CREATE OR REPLACE FUNCTION herald_test_fail_consent_log_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.campaign_id = '${FAILING_CAMPAIGN}'::uuid OR NEW.actor = '${FAILING_ACTOR}' THEN
        RAISE EXCEPTION 'injected consent_log failure';
      END IF;
      RETURN NEW;
    END;
    $$`);
  await db.$executeRawUnsafe(`
    CREATE OR REPLACE TRIGGER herald_test_fail_consent_log_insert
      BEFORE INSERT ON consent_log FOR EACH ROW EXECUTE FUNCTION herald_test_fail_consent_log_insert()`);
});

afterAll(async () => {
  await db.$executeRawUnsafe('DROP TRIGGER IF EXISTS herald_test_fail_consent_log_insert ON consent_log');
  await db.$executeRawUnsafe('DROP FUNCTION IF EXISTS herald_test_fail_consent_log_insert()');
  await db.$disconnect();
});

describe('a failure at the consent-log insert leaves no partial state', () => {
  it('updatePreferences', async () => {
    const contact = await createContact(db);
    const update = updatePreferences(db, {
      contactId: contact.id,
      changes: [{ categoryKey: newsletter.key, subscribed: false }],
      allPromotional: false,
      source: 'admin',
      actor: FAILING_ACTOR,
    });
    await expect(update).rejects.toThrow(/injected consent_log failure/);
    expect(await preferenceRows(db, contact.id)).toEqual([]);
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).promotionalOptOut).toBe(false);
    expect(await consentLog(db, contact.id)).toEqual([]);
  });

  it('applyUnsubscribe', async () => {
    const contact = await createContact(db);
    for (const scope of [
      { kind: 'category', categoryKey: newsletter.key },
      { kind: 'all-promotional' },
    ] as const) {
      const unsubscribe = applyUnsubscribe(db, {
        contactId: contact.id,
        scope,
        source: 'one-click',
        campaignId: FAILING_CAMPAIGN,
      });
      await expect(unsubscribe).rejects.toThrow(/injected consent_log failure/);
    }
    expect(await preferenceRows(db, contact.id)).toEqual([]);
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).promotionalOptOut).toBe(false);
    expect(await consentLog(db, contact.id)).toEqual([]);
  });

  it('suppressAddress', async () => {
    const contact = await createContact(db);
    const suppress = suppressAddress(db, {
      email: contact.email!,
      reason: 'complaint',
      source: 'complaint',
      campaignId: FAILING_CAMPAIGN,
    });
    await expect(suppress).rejects.toThrow(/injected consent_log failure/);
    expect(await db.suppression.count({ where: { addressHash: hashAddress(contact.email!) } })).toBe(0);
  });

  it('eraseContact', async () => {
    const contact = await createContact(db);
    await updatePreferences(db, {
      contactId: contact.id,
      changes: [{ categoryKey: newsletter.key, subscribed: false }],
      source: 'preference-center',
      campaignId: randomUUID(),
    });
    await expect(eraseContact(db, { contactId: contact.id, actor: FAILING_ACTOR })).rejects.toThrow(
      /injected consent_log failure/,
    );
    const stored = await db.contact.findUniqueOrThrow({ where: { id: contact.id } });
    expect(stored).toMatchObject({ email: contact.email, name: 'Ada Lovelace', erasedAt: null });
    expect(await preferenceRows(db, contact.id)).toHaveLength(1);
    expect(await db.suppression.count({ where: { addressHash: hashAddress(contact.email!) } })).toBe(0);
  });
});
