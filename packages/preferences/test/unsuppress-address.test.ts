import { afterAll, describe, expect, it } from 'vitest';
import { eraseContact } from '../src/erase-contact.js';
import { hashAddress } from '../src/hash-address.js';
import { isAddressSuppressed } from '../src/is-address-suppressed.js';
import { isPreferencesError } from '../src/preferences-error.js';
import { suppressAddress } from '../src/suppress-address.js';
import { unsuppressAddress } from '../src/unsuppress-address.js';
import { connect, consentLog, createContact, uniqueEmail } from './support/database.js';

const db = connect();
afterAll(() => db.$disconnect());

const reasonsOf = async (email: string) =>
  (await db.suppression.findMany({ where: { addressHash: hashAddress(email) } }))
    .map((row) => row.reason)
    .sort();

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(isPreferencesError(error), String(error)).toBe(true);
  return error as { code: string; message: string };
}

describe('unsuppressAddress', () => {
  it('removes every removable suppression and logs each as unsuppress with the actor and the reason', async () => {
    const contact = await createContact(db);
    await suppressAddress(db, { email: contact.email!, reason: 'hard-bounce', source: 'bounce' });
    await suppressAddress(db, { email: contact.email!, reason: 'complaint', source: 'complaint' });

    const result = await unsuppressAddress(db, {
      email: ` ${contact.email!.toUpperCase()}`,
      source: 'admin',
      actor: 'ops@example.test',
      reason: 'The customer fixed their mailbox and asked by phone.',
    });
    expect(result).toEqual({ removed: ['complaint', 'hard-bounce'], kept: [], contactId: contact.id });
    expect(await isAddressSuppressed(db, contact.email!)).toBe(false);

    const log = await consentLog(db, contact.id);
    expect(log.map((row) => [row.action, row.source, row.actor, row.reason])).toEqual([
      ['suppress', 'bounce', null, 'hard-bounce'],
      ['suppress', 'complaint', null, 'complaint'],
      [
        'unsuppress',
        'admin',
        'ops@example.test',
        'complaint: The customer fixed their mailbox and asked by phone.',
      ],
      [
        'unsuppress',
        'admin',
        'ops@example.test',
        'hard-bounce: The customer fixed their mailbox and asked by phone.',
      ],
    ]);
  });

  it('removes only the reason asked for', async () => {
    const contact = await createContact(db);
    await suppressAddress(db, { email: contact.email!, reason: 'manual', source: 'api' });
    await suppressAddress(db, { email: contact.email!, reason: 'complaint', source: 'complaint' });
    const result = await unsuppressAddress(db, {
      email: contact.email!,
      only: 'manual',
      source: 'api',
      actor: 'api',
      reason: 'Added by mistake',
    });
    expect(result.removed).toEqual(['manual']);
    expect(await reasonsOf(contact.email!)).toEqual(['complaint']);
  });

  it('changes and logs nothing when the address is not suppressed, and a repeat removes nothing', async () => {
    const contact = await createContact(db);
    const options = { email: contact.email!, source: 'api', actor: 'api', reason: 'Checking' } as const;
    expect(await unsuppressAddress(db, options)).toEqual({ removed: [], kept: [], contactId: null });
    await suppressAddress(db, { email: contact.email!, reason: 'hard-bounce', source: 'bounce' });
    expect((await unsuppressAddress(db, options)).removed).toEqual(['hard-bounce']);
    expect((await unsuppressAddress(db, options)).removed).toEqual([]);
    expect((await consentLog(db, contact.id)).map((row) => row.action)).toEqual(['suppress', 'unsuppress']);
  });

  it('two identical requests at once remove and log once', async () => {
    const contact = await createContact(db);
    await suppressAddress(db, { email: contact.email!, reason: 'manual', source: 'admin' });
    const options = { email: contact.email!, source: 'admin', actor: 'a', reason: 'At once' } as const;
    const results = await Promise.all([unsuppressAddress(db, options), unsuppressAddress(db, options)]);
    expect(results.map((result) => result.removed).flat()).toEqual(['manual']);
    expect((await consentLog(db, contact.id)).filter((row) => row.action === 'unsuppress')).toHaveLength(1);
  });

  it('never removes an erasure suppression: refused alone, kept beside others', async () => {
    const first = await createContact(db);
    const email = first.email!;
    await eraseContact(db, { contactId: first.id, actor: 'dpo@example.test' });
    const options = { email, source: 'admin', actor: 'ops', reason: 'Wants mail again' } as const;

    expect((await refusal(unsuppressAddress(db, options))).code).toBe('erasure-not-removable');
    expect((await refusal(unsuppressAddress(db, { ...options, only: 'erasure' }))).code).toBe(
      'erasure-not-removable',
    );
    expect(await reasonsOf(email)).toEqual(['erasure']);

    await suppressAddress(db, { email, reason: 'hard-bounce', source: 'bounce' });
    const result = await unsuppressAddress(db, options);
    expect(result).toMatchObject({ removed: ['hard-bounce'], kept: ['erasure'] });
    expect(await reasonsOf(email)).toEqual(['erasure']);
    expect((await refusal(unsuppressAddress(db, { ...options, only: 'erasure' }))).code).toBe(
      'erasure-not-removable',
    );
  });

  it('clears the soft-bounce count with a soft-bounce-limit suppression', async () => {
    const email = uniqueEmail();
    const addressHash = hashAddress(email);
    await db.softBounceCount.create({ data: { addressHash, count: 5 } });
    await suppressAddress(db, { email, reason: 'soft-bounce-limit', source: 'bounce' });
    const result = await unsuppressAddress(db, {
      email,
      source: 'api',
      actor: 'api',
      reason: 'Their server is back',
    });
    expect(result).toEqual({ removed: ['soft-bounce-limit'], kept: [], contactId: null });
    expect(await db.softBounceCount.findUnique({ where: { addressHash } })).toBeNull();
  });

  it('refuses a missing or too short written reason and changes nothing', async () => {
    const contact = await createContact(db);
    await suppressAddress(db, { email: contact.email!, reason: 'manual', source: 'admin' });
    const error = await refusal(
      unsuppressAddress(db, { email: contact.email!, source: 'admin', actor: 'ops', reason: ' x ' }),
    );
    expect(error.code).toBe('invalid-input');
    expect(error.message).toContain('reason');
    expect(await reasonsOf(contact.email!)).toEqual(['manual']);
  });
});
