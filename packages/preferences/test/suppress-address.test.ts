import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { hashAddress } from '../src/hash-address.js';
import { isAddressSuppressed } from '../src/is-address-suppressed.js';
import { suppressAddress } from '../src/suppress-address.js';
import { connect, consentLog, createContact, uniqueEmail } from './support/database.js';

const db = connect();
afterAll(() => db.$disconnect());

function suppressionsOf(email: string) {
  return db.suppression.findMany({ where: { addressHash: hashAddress(email) }, orderBy: { reason: 'asc' } });
}

describe('suppressAddress', () => {
  it('suppresses the address by hash and logs it for the contact', async () => {
    const contact = await createContact(db);
    const messageId = randomUUID();
    const result = await suppressAddress(db, {
      email: contact.email!,
      contactId: contact.id,
      reason: 'hard-bounce',
      source: 'bounce',
      detail: '550 5.1.1 user unknown',
      messageId,
    });
    expect(result).toEqual({ created: true, contactId: contact.id });

    const [suppression, ...others] = await suppressionsOf(contact.email!);
    expect(others).toEqual([]);
    expect(suppression).toMatchObject({
      reason: 'hard_bounce',
      contactId: contact.id,
      detail: '550 5.1.1 user unknown',
    });
    expect(suppression?.addressHash).not.toContain('@');

    const log = await consentLog(db, contact.id);
    expect(log.map((row) => [row.categoryKey, row.action, row.source, row.reason, row.messageId])).toEqual([
      [null, 'suppress', 'bounce', 'hard-bounce', messageId],
    ]);
  });

  it('finds the contact from the address when only the address is known', async () => {
    const contact = await createContact(db);
    const result = await suppressAddress(db, {
      email: `  ${contact.email!.toUpperCase()} `,
      reason: 'complaint',
      source: 'complaint',
    });
    expect(result).toEqual({ created: true, contactId: contact.id });
    expect((await consentLog(db, contact.id)).map((row) => row.source)).toEqual(['complaint']);
  });

  it('is idempotent per reason, and keeps reasons apart', async () => {
    const contact = await createContact(db);
    const complaint = { email: contact.email!, reason: 'complaint', source: 'complaint' } as const;
    expect((await suppressAddress(db, complaint)).created).toBe(true);
    expect((await suppressAddress(db, complaint)).created).toBe(false);
    expect(
      (await suppressAddress(db, { ...complaint, reason: 'hard-bounce', source: 'bounce' })).created,
    ).toBe(true);

    expect((await suppressionsOf(contact.email!)).map((row) => row.reason)).toEqual([
      'hard_bounce',
      'complaint',
    ]);
    expect(await consentLog(db, contact.id)).toHaveLength(2);
  });

  it('takes a manual suppression by an operator, with the actor in the log', async () => {
    const contact = await createContact(db);
    const result = await suppressAddress(db, {
      email: contact.email!,
      reason: 'manual',
      source: 'admin',
      actor: 'ops@example.test',
      detail: 'Asked us to stop all mail',
    });
    expect(result).toEqual({ created: true, contactId: contact.id });
    expect(await isAddressSuppressed(db, contact.email!, ['manual'])).toBe(true);
    const [entry] = await consentLog(db, contact.id);
    expect(entry).toMatchObject({
      action: 'suppress',
      source: 'admin',
      actor: 'ops@example.test',
      reason: 'manual',
    });
  });

  it('suppresses an address that belongs to no contact, without a log row', async () => {
    const email = uniqueEmail();
    const result = await suppressAddress(db, { email, reason: 'hard-bounce', source: 'api' });
    expect(result).toEqual({ created: true, contactId: null });
    expect(await suppressionsOf(email)).toHaveLength(1);
    expect(await isAddressSuppressed(db, email)).toBe(true);
  });
});

describe('isAddressSuppressed', () => {
  it('matches on the normalized address, optionally by reason', async () => {
    const email = uniqueEmail();
    expect(await isAddressSuppressed(db, email)).toBe(false);
    await suppressAddress(db, { email, reason: 'complaint', source: 'complaint' });
    expect(await isAddressSuppressed(db, ` ${email.toUpperCase()}`)).toBe(true);
    expect(await isAddressSuppressed(db, email, ['complaint'])).toBe(true);
    expect(await isAddressSuppressed(db, email, ['erasure', 'hard-bounce'])).toBe(false);
  });
});
