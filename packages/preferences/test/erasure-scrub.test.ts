import { randomUUID } from 'node:crypto';
import type { Db } from '@herald/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyUnsubscribe } from '../src/apply-unsubscribe.js';
import { eraseContact } from '../src/erase-contact.js';
import { hashAddress, legacyAddressHash } from '../src/hash-address.js';
import { isAddressSuppressed } from '../src/is-address-suppressed.js';
import { loadDeliveryState } from '../src/load-delivery-state.js';
import { recordFeedback } from '../src/record-feedback.js';
import { suppressAddress } from '../src/suppress-address.js';
import { unsuppressAddress } from '../src/unsuppress-address.js';
import {
  connect,
  consentLog,
  createCategory,
  createContact,
  type CategoryFixture,
} from './support/database.js';

/**
 * Issue 11, finding 7: erasure leaves no row holding the address, text quoting it, its user agent or
 * its client address hash; the consent log stays append-only but for that one scrub; suppressions
 * are keyed hashes, and rows from before keyed hashes still match.
 */
const db = connect();
const USER_AGENT = 'Mozilla/5.0 (X11; Linux) ErasureTest/1.0';
let newsletter: CategoryFixture;

beforeAll(async () => {
  newsletter = await createCategory(db, { class: 'promotional' });
});
afterAll(() => db.$disconnect());

async function unsubscribeFromBrowser(contactId: string) {
  await applyUnsubscribe(db, {
    contactId,
    scope: { kind: 'category', categoryKey: newsletter.key },
    source: 'one-click',
    userAgent: USER_AGENT,
    ipHash: 'f'.repeat(64),
  });
}

async function messageTo(contactId: string, reason: string) {
  const template = await db.template.create({
    data: {
      key: `scrub-${randomUUID()}`,
      version: 1,
      categoryKey: newsletter.key,
      subject: 'Hi',
      mjml: '<mjml></mjml>',
    },
  });
  return db.message.create({
    data: {
      contactId,
      templateId: template.id,
      categoryKey: newsletter.key,
      class: 'promotional',
      status: 'bounced',
      reason,
      events: { create: [{ type: 'bounced', detail: { smtp: { response: reason } } }] },
    },
  });
}

/** A transaction that sets the erasure flag to `flagged`, then runs `statement`. */
function flagged(
  db: Db,
  contactId: string,
  statement: (tx: Parameters<Parameters<Db['$transaction']>[0]>[0]) => Promise<unknown>,
) {
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT set_config('herald.erasure', ${contactId}, true)`;
    return statement(tx);
  });
}

describe('the consent log trigger', () => {
  it('refuses every change but clearing user agent and client hash under the erasure flag of its contact', async () => {
    const contact = await createContact(db);
    const other = await createContact(db);
    await unsubscribeFromBrowser(contact.id);
    const [entry] = await consentLog(db, contact.id);
    const id = entry!.id;

    // Without the flag: refused, as before.
    await expect(
      db.$executeRaw`UPDATE consent_log SET user_agent = NULL, ip_hash = NULL WHERE id = ${id}`,
    ).rejects.toThrow(/append-only/);
    await expect(db.$executeRaw`DELETE FROM consent_log WHERE id = ${id}`).rejects.toThrow(/append-only/);
    // The flag names another contact.
    await expect(
      flagged(
        db,
        other.id,
        (tx) => tx.$executeRaw`UPDATE consent_log SET user_agent = NULL, ip_hash = NULL WHERE id = ${id}`,
      ),
    ).rejects.toThrow(/append-only/);
    // Anything else changed beside them, or them set to something other than NULL, or a delete.
    await expect(
      flagged(
        db,
        contact.id,
        (tx) =>
          tx.$executeRaw`UPDATE consent_log SET user_agent = NULL, ip_hash = NULL, reason = 'x' WHERE id = ${id}`,
      ),
    ).rejects.toThrow(/append-only/);
    await expect(
      flagged(
        db,
        contact.id,
        (tx) => tx.$executeRaw`UPDATE consent_log SET user_agent = 'other', ip_hash = NULL WHERE id = ${id}`,
      ),
    ).rejects.toThrow(/append-only/);
    await expect(
      flagged(
        db,
        contact.id,
        (tx) => tx.$executeRaw`UPDATE consent_log SET user_agent = NULL WHERE id = ${id}`,
      ),
    ).rejects.toThrow(/append-only/);
    await expect(
      flagged(db, contact.id, (tx) => tx.$executeRaw`DELETE FROM consent_log WHERE id = ${id}`),
    ).rejects.toThrow(/append-only/);
    expect(await consentLog(db, contact.id)).toEqual([entry]);

    // The one change let through, and only for the transaction that set the flag.
    await flagged(
      db,
      contact.id,
      (tx) => tx.$executeRaw`UPDATE consent_log SET user_agent = NULL, ip_hash = NULL WHERE id = ${id}`,
    );
    expect(await consentLog(db, contact.id)).toEqual([{ ...entry, userAgent: null, ipHash: null }]);
    await expect(db.$executeRaw`UPDATE consent_log SET user_agent = NULL WHERE id = ${id}`).rejects.toThrow(
      /append-only/,
    );
  });
});

describe('eraseContact scrubs', () => {
  it('the user agents and client hashes of its consent log, and says so in the erasure entry', async () => {
    const contact = await createContact(db);
    await unsubscribeFromBrowser(contact.id);
    await eraseContact(db, { contactId: contact.id, actor: 'dpo@example.com' });
    const log = await consentLog(db, contact.id);
    expect(log.map((row) => [row.action, row.userAgent, row.ipHash, row.reason])).toEqual([
      ['unsubscribe', null, null, null],
      ['suppress', null, null, 'erasure; user agent and client address hash cleared from 1 earlier entries'],
    ]);
    // The flag does not outlive the erasure: the log is append-only again.
    await expect(
      db.consentLogEntry.updateMany({ where: { contactId: contact.id }, data: { userAgent: null } }),
    ).rejects.toThrow(/append-only/);
  });

  it('the address from bounce text, reports and suppressions, and unlinks the suppressions from the contact', async () => {
    const contact = await createContact(db);
    const email = contact.email!;
    const reply = `550 5.1.1 <${email.toUpperCase()}>: Recipient address rejected`;
    const message = await messageTo(contact.id, reply);
    await suppressAddress(db, {
      email,
      contactId: contact.id,
      reason: 'hard-bounce',
      source: 'bounce',
      detail: reply,
    });
    await recordFeedback(
      db,
      [{ channel: 'api', kind: 'soft-bounce', email, detail: `452 4.2.2 ${email} over quota` }],
      {
        softBounceLimit: 5,
      },
    );

    await eraseContact(db, { contactId: contact.id, actor: 'dpo@example.com' });

    const stored = await db.message.findUniqueOrThrow({
      where: { id: message.id },
      include: { events: true },
    });
    expect(stored.reason).toBe('550 5.1.1 <[erased address]>: Recipient address rejected');
    expect(stored.events.map((event) => event.detail)).toEqual([
      { smtp: { response: '550 5.1.1 <[erased address]>: Recipient address rejected' } },
    ]);
    const suppressions = await db.suppression.findMany({
      where: { addressHash: hashAddress(email) },
      orderBy: { reason: 'asc' },
    });
    expect(suppressions.map((row) => [row.reason, row.contactId, row.detail])).toEqual([
      ['hard_bounce', null, null],
      ['erasure', null, null],
    ]);
    expect(await db.suppression.count({ where: { contactId: contact.id } })).toBe(0);
    const reports = await db.feedbackReport.findMany({ where: { contactId: contact.id } });
    expect(reports.map((row) => [row.detail, row.addressHash])).toEqual([[null, null]]);
    expect(
      await db.softBounceCount.count({
        where: { addressHash: { in: [hashAddress(email), legacyAddressHash(email)] } },
      }),
    ).toBe(0);
    // Still suppressed: the address stays unmailable after its contact has gone.
    expect(await isAddressSuppressed(db, email, ['hard-bounce'])).toBe(true);
    expect(await isAddressSuppressed(db, email, ['erasure'])).toBe(true);
  });

  it('re-keys a suppression from before keyed hashes, leaving the legacy hash nowhere', async () => {
    const contact = await createContact(db);
    const email = contact.email!;
    await db.suppression.create({
      data: { addressHash: legacyAddressHash(email), reason: 'complaint', contactId: contact.id },
    });
    await db.softBounceCount.create({ data: { addressHash: legacyAddressHash(email), count: 2 } });

    await eraseContact(db, { contactId: contact.id, actor: 'dpo@example.com' });

    expect(await db.suppression.count({ where: { addressHash: legacyAddressHash(email) } })).toBe(0);
    expect(await db.softBounceCount.count({ where: { addressHash: legacyAddressHash(email) } })).toBe(0);
    const rows = await db.suppression.findMany({
      where: { addressHash: hashAddress(email) },
      orderBy: { reason: 'asc' },
    });
    expect(rows.map((row) => [row.reason, row.contactId])).toEqual([
      ['complaint', null],
      ['erasure', null],
    ]);
  });
});

describe('suppressions under the legacy hash', () => {
  it('still block: lookups, the delivery state, suppressing again and lifting all see them', async () => {
    const contact = await createContact(db);
    const email = contact.email!;
    await db.suppression.create({ data: { addressHash: legacyAddressHash(email), reason: 'hard_bounce' } });

    expect(await isAddressSuppressed(db, email)).toBe(true);
    const state = await loadDeliveryState(db, { contactId: contact.id, categoryKey: newsletter.key });
    expect(state?.decisionInput.hardBounced).toBe(true);

    // Already on the list: nothing added, nothing logged.
    expect(await suppressAddress(db, { email, reason: 'hard-bounce', source: 'bounce' })).toEqual({
      created: false,
      contactId: contact.id,
    });
    const [report] = await recordFeedback(db, [{ channel: 'api', kind: 'hard-bounce', email }], {
      softBounceLimit: 5,
    });
    expect(report?.effect).toBe('recorded');
    expect(await db.suppression.count({ where: { addressHash: hashAddress(email) } })).toBe(0);
    expect(await consentLog(db, contact.id)).toEqual([]);

    const lifted = await unsuppressAddress(db, {
      email,
      source: 'admin',
      actor: 'ops',
      reason: 'asked by phone',
    });
    expect(lifted.removed).toEqual(['hard-bounce']);
    expect(await isAddressSuppressed(db, email)).toBe(false);
  });

  it('are written under the keyed hash only', async () => {
    const email = `${randomUUID()}@example.test`;
    await suppressAddress(db, { email, reason: 'manual', source: 'api' });
    const rows = await db.suppression.findMany({
      where: { addressHash: { in: [hashAddress(email), legacyAddressHash(email)] } },
    });
    expect(rows.map((row) => row.addressHash)).toEqual([hashAddress(email)]);
    expect(rows[0]?.addressHash).toMatch(/^hmac1:[0-9a-f]{64}$/);
  });
});
