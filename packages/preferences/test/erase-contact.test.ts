import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eraseContact } from '../src/erase-contact.js';
import { hashAddress } from '../src/hash-address.js';
import { isAddressSuppressed } from '../src/is-address-suppressed.js';
import { recordFeedback } from '../src/record-feedback.js';
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

beforeAll(async () => {
  newsletter = await createCategory(db, { class: 'promotional' });
});
afterAll(() => db.$disconnect());

describe('eraseContact', () => {
  it('removes personal data, keeps the consent log and suppresses the address hash', async () => {
    const contact = await createContact(db);
    const email = contact.email!;
    await updatePreferences(db, {
      contactId: contact.id,
      changes: [{ categoryKey: newsletter.key, subscribed: false }],
      source: 'preference-center',
    });

    expect(await eraseContact(db, { contactId: contact.id, actor: 'dpo@example.com' })).toEqual({
      erased: true,
    });

    const stored = await db.contact.findUniqueOrThrow({ where: { id: contact.id } });
    expect(stored).toMatchObject({
      email: null,
      name: null,
      externalId: null,
      attributes: {},
      locale: 'en',
      timezone: 'UTC',
    });
    expect(stored.erasedAt).toBeInstanceOf(Date);
    expect(await preferenceRows(db, contact.id)).toEqual([]);

    const suppressions = await db.suppression.findMany({ where: { addressHash: hashAddress(email) } });
    expect(suppressions.map((row) => row.reason)).toEqual(['erasure']);
    expect(await isAddressSuppressed(db, email, ['erasure'])).toBe(true);

    const log = await consentLog(db, contact.id);
    expect(log.map((row) => [row.action, row.source, row.actor, row.reason])).toEqual([
      ['unsubscribe', 'preference_center', null, null],
      ['suppress', 'api', 'dpo@example.com', 'erasure'],
    ]);
    // Nothing in what remains names the person.
    expect(
      JSON.stringify([stored, log, suppressions], (_key, value: unknown) =>
        typeof value === 'bigint' ? String(value) : value,
      ),
    ).not.toContain(email);
  });

  it('keeps the consent log append-only even for an erased contact', async () => {
    const contact = await createContact(db);
    await eraseContact(db, { contactId: contact.id, actor: 'dpo@example.com', source: 'admin' });
    await expect(db.consentLogEntry.deleteMany({ where: { contactId: contact.id } })).rejects.toThrow(
      /append-only/,
    );
    expect(await consentLog(db, contact.id)).toHaveLength(1);
  });

  it("clears the data of the contact's messages and the clicks on their links", async () => {
    const contact = await createContact(db);
    const template = await db.template.create({
      data: {
        key: `erase-${randomUUID()}`,
        version: 1,
        categoryKey: newsletter.key,
        subject: 'Hi',
        mjml: '<mjml></mjml>',
      },
    });
    const message = await db.message.create({
      data: {
        contactId: contact.id,
        templateId: template.id,
        categoryKey: newsletter.key,
        class: 'promotional',
        data: { name: 'Ada Lovelace' },
      },
    });
    await db.linkClick.create({
      data: { messageId: message.id, linkIndex: 0, url: 'https://example.test/a', clickedAt: new Date() },
    });
    await eraseContact(db, { contactId: contact.id, actor: 'dpo@example.com' });
    expect((await db.message.findUniqueOrThrow({ where: { id: message.id } })).data).toEqual({});
    // The links the person followed go too.
    expect(await db.linkClick.count({ where: { messageId: message.id } })).toBe(0);
  });

  it('clears the diagnostics of bounce and complaint reports about the contact, which quote the address', async () => {
    const contact = await createContact(db);
    const [report] = await recordFeedback(
      db,
      [
        {
          channel: 'api',
          kind: 'blocked',
          email: contact.email,
          detail: `550 5.7.1 <${contact.email}> refused`,
        },
      ],
      { softBounceLimit: 5 },
    );
    await eraseContact(db, { contactId: contact.id, actor: 'dpo@example.com' });
    const kept = await db.feedbackReport.findUniqueOrThrow({ where: { id: report?.reportId } });
    expect(kept).toMatchObject({ contactId: contact.id, detail: null, kind: 'blocked' });
  });

  it('does nothing the second time, and rejects unknown contacts', async () => {
    const contact = await createContact(db);
    await eraseContact(db, { contactId: contact.id, actor: 'dpo@example.com' });
    expect(await eraseContact(db, { contactId: contact.id, actor: 'dpo@example.com' })).toEqual({
      erased: false,
    });
    expect(await consentLog(db, contact.id)).toHaveLength(1);
    await expect(
      eraseContact(db, { contactId: randomUUID(), actor: 'dpo@example.com' }),
    ).rejects.toMatchObject({
      code: 'unknown-contact',
    });
  });

  it('keeps one erasure suppression when the same address leaves twice', async () => {
    const first = await createContact(db);
    const email = first.email!;
    await eraseContact(db, { contactId: first.id, actor: 'dpo@example.com' });
    const second = await createContact(db, { email });
    expect(await eraseContact(db, { contactId: second.id, actor: 'dpo@example.com' })).toEqual({
      erased: true,
    });
    expect(await db.suppression.count({ where: { addressHash: hashAddress(email) } })).toBe(1);
    expect(await consentLog(db, second.id)).toHaveLength(1);
  });
});
