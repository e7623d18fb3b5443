import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyUnsubscribe } from '../src/apply-unsubscribe.js';
import { signConfirmationToken, verifyConfirmationToken } from '../src/confirmation-token.js';
import { getPreferences } from '../src/get-preferences.js';
import type { ConsentLink } from '../src/link-reach.js';
import { revokeLinks } from '../src/revoke-links.js';
import { parseSigningKeys } from '../src/signing-keys.js';
import { updatePreferences } from '../src/update-preferences.js';
import {
  connect,
  consentLog,
  createCategory,
  createContact,
  type CategoryFixture,
} from './support/database.js';

// Issue 11, finding 10: a forwarded newsletter's preference link must not resubscribe its reader
// to all marketing, forever. Unsubscribing stays open-ended; opting in needs a fresh link for that
// very category (else a confirmation mail); a revoked link can never opt in.

const db = connect();
const DAY = 86_400_000;
let newsletter: CategoryFixture;
let offers: CategoryFixture;
let notices: CategoryFixture;

beforeAll(async () => {
  newsletter = await createCategory(db, { class: 'promotional' });
  offers = await createCategory(db, { class: 'promotional' });
  notices = await createCategory(db, { class: 'transactional' });
});
afterAll(() => db.$disconnect());

const linkFor = (categoryKey: string, daysAgo: number | null, tokenEpoch = 0): ConsentLink => ({
  kind: 'preference-link',
  tokenEpoch,
  issuedAt: daysAgo === null ? null : new Date(Date.now() - daysAgo * DAY),
  scope: { kind: 'category', categoryKey },
});

/** A contact that has opted out of the newsletter, the offers and all marketing. */
async function optedOutContact() {
  const contact = await createContact(db);
  await updatePreferences(db, {
    contactId: contact.id,
    changes: [
      { categoryKey: newsletter.key, subscribed: false },
      { categoryKey: offers.key, subscribed: false },
      { categoryKey: notices.key, subscribed: false },
    ],
    allPromotional: false,
    source: 'preference-center',
  });
  return contact;
}

const resubscribeEverything = (contactId: string, link: ConsentLink) =>
  updatePreferences(db, {
    contactId,
    changes: [
      { categoryKey: newsletter.key, subscribed: true },
      { categoryKey: offers.key, subscribed: true },
      { categoryKey: notices.key, subscribed: true },
    ],
    allPromotional: true,
    source: 'preference-center',
    link,
  });

describe('opting in through a preference link', () => {
  it("applies a fresh link's own category at once, and only asks about the rest", async () => {
    const contact = await optedOutContact();
    const result = await resubscribeEverything(contact.id, linkFor(newsletter.key, 10));
    // The transactional category is no opt-in to marketing: it applies like an unsubscribe.
    expect(result.changed).toEqual([
      { categoryKey: newsletter.key, subscribed: true },
      { categoryKey: notices.key, subscribed: true },
    ]);
    expect(result.needsConfirmation).toEqual([
      { categoryKey: offers.key, subscribed: true },
      { categoryKey: null, subscribed: true },
    ]);
    expect(result.refused).toEqual([]);
    const preferences = await getPreferences(db, { contactId: contact.id });
    expect(preferences.allPromotional.subscribed).toBe(false);
    expect(preferences.categories.find((c) => c.key === offers.key)?.subscribed).toBe(false);
  });

  it.each([
    ['older than 90 days', 91],
    ['a version 1 link (no issue time)', null],
  ])('changes no consent through a link %s: every opt-in asks for confirmation', async (_label, daysAgo) => {
    const contact = await optedOutContact();
    const before = await consentLog(db, contact.id);
    const result = await resubscribeEverything(contact.id, linkFor(newsletter.key, daysAgo));
    expect(result.changed).toEqual([{ categoryKey: notices.key, subscribed: true }]);
    expect(result.needsConfirmation.map((change) => change.categoryKey)).toEqual([
      newsletter.key,
      offers.key,
      null,
    ]);
    expect((await consentLog(db, contact.id)).length).toBe(before.length + 1);
  });

  it('unsubscribes through any link, however old or revoked', async () => {
    const contact = await createContact(db);
    await revokeLinks(db, { contactId: contact.id });
    const result = await updatePreferences(db, {
      contactId: contact.id,
      changes: [{ categoryKey: newsletter.key, subscribed: false }],
      allPromotional: false,
      source: 'preference-center',
      link: linkFor(newsletter.key, null, 0),
    });
    expect(result.changed).toEqual([
      { categoryKey: newsletter.key, subscribed: false },
      { categoryKey: null, subscribed: false },
    ]);
  });

  it('refuses every opt-in through a revoked link, and sends nobody a confirmation', async () => {
    const contact = await optedOutContact();
    const { tokenEpoch } = await revokeLinks(db, { contactId: contact.id });
    expect(tokenEpoch).toBe(1);
    const old = await resubscribeEverything(contact.id, linkFor(newsletter.key, 1, 0));
    expect(old.changed).toEqual([{ categoryKey: notices.key, subscribed: true }]);
    expect(old.needsConfirmation).toEqual([]);
    expect(old.refused.map((change) => change.categoryKey)).toEqual([newsletter.key, offers.key, null]);

    // A link signed under the new epoch works again.
    const fresh = await resubscribeEverything(contact.id, linkFor(newsletter.key, 0, 1));
    expect(fresh.changed).toEqual([{ categoryKey: newsletter.key, subscribed: true }]);
  });

  it('applies what a confirmation link names, unless the links were revoked meanwhile', async () => {
    const contact = await optedOutContact();
    const confirmation: ConsentLink = { kind: 'confirmation', tokenEpoch: 0 };
    const confirm = () =>
      updatePreferences(db, {
        contactId: contact.id,
        changes: [{ categoryKey: offers.key, subscribed: true }],
        allPromotional: true,
        source: 'preference-center',
        reason: 'confirmed by mail',
        link: confirmation,
      });
    await revokeLinks(db, { contactId: contact.id });
    expect((await confirm()).refused).toHaveLength(2);

    confirmation.tokenEpoch = 1;
    const result = await confirm();
    expect(result.changed).toEqual([
      { categoryKey: offers.key, subscribed: true },
      { categoryKey: null, subscribed: true },
    ]);
    const logged = (await consentLog(db, contact.id)).slice(-2);
    expect(logged.map((row) => [row.categoryKey, row.action, row.source, row.reason])).toEqual([
      [offers.key, 'subscribe', 'preference_center', 'confirmed by mail'],
      [null, 'subscribe', 'preference_center', 'confirmed by mail'],
    ]);
  });
});

describe('contacts created by a send', () => {
  it('shows promotional categories off until the contact subscribes, and logs no unsubscribe that changes nothing', async () => {
    const contact = await createContact(db);
    await db.contact.update({ where: { id: contact.id }, data: { promotionalDefaults: false } });
    const shown = await getPreferences(db, { contactId: contact.id });
    expect(shown.categories.find((c) => c.key === newsletter.key)?.subscribed).toBe(false);
    expect(shown.categories.find((c) => c.key === notices.key)?.subscribed).toBe(true);

    const unsubscribed = await applyUnsubscribe(db, {
      contactId: contact.id,
      scope: { kind: 'category', categoryKey: newsletter.key },
      source: 'one-click',
    });
    expect(unsubscribed.changed).toEqual([]);
    expect(await consentLog(db, contact.id)).toEqual([]);

    const subscribed = await updatePreferences(db, {
      contactId: contact.id,
      changes: [{ categoryKey: newsletter.key, subscribed: true }],
      source: 'preference-center',
      link: linkFor(newsletter.key, 0),
    });
    expect(subscribed.changed).toEqual([{ categoryKey: newsletter.key, subscribed: true }]);
  });
});

describe('confirmation tokens', () => {
  const keys = parseSigningKeys(`k1:${'1'.repeat(32)}`);
  const payload = {
    contactId: randomUUID(),
    tokenEpoch: 2,
    categories: ['offers', 'nouveautés'],
    allPromotional: true,
    expiresAt: new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_000),
  };

  it('round-trips, and refuses a tampered, foreign or expired one', () => {
    const token = signConfirmationToken(payload, keys);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(verifyConfirmationToken(token, keys)).toEqual({ ok: true, payload });
    const bytes = Buffer.from(token, 'base64url');
    for (let index = 0; index < bytes.length; index++) {
      const tampered = Buffer.from(bytes);
      tampered[index] = (tampered[index] ?? 0) ^ 0x01;
      expect(verifyConfirmationToken(tampered.toString('base64url'), keys).ok, `byte ${index}`).toBe(false);
    }
    expect(verifyConfirmationToken(token, parseSigningKeys(`k1:${'x'.repeat(32)}`))).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(verifyConfirmationToken(token, keys, new Date(payload.expiresAt.getTime() + 1))).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(verifyConfirmationToken('garbage!', keys)).toEqual({ ok: false, reason: 'malformed' });
  });
});
