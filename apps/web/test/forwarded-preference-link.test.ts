import type { Db } from '@herald/db';
import { parseSigningKeys, signConfirmationToken } from '@herald/preferences';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, consentLog, createContact, tokenFor } from './support/fixtures.js';
import { getPage, postForm, textOf } from './support/forms.js';
import { startWebServer, type WebServer } from '@herald/test-support';

/**
 * Issue 11, finding 10, over HTTP: a forwarded newsletter's preference link cannot resubscribe its
 * reader to marketing by itself. An old link, or another category than the link's, asks for a
 * confirmation by mail (this server has no API, so the page says none could go and nothing
 * changes); a revoked link shows no preference center; the confirmation link applies the opt-ins.
 */
let web: WebServer;
let db: Db;

beforeAll(async () => {
  db = connect();
  web = await startWebServer();
});
afterAll(async () => {
  await web?.stop();
  await db?.$disconnect();
});

const DAY = 86_400_000;
const everythingOn: [string, string][] = [
  ['form', 'preferences'],
  ['allPromotional', 'on'],
  ...['newsletter', 'product-news', 'promotions'].flatMap((key): [string, string][] => [
    ['shown', key],
    ['category', key],
  ]),
];

/** A contact who has opted out of all marketing and of the newsletter. */
async function optedOut() {
  const contact = await createContact(db, 'forwarded');
  await db.contact.update({ where: { id: contact.id }, data: { promotionalOptOut: true } });
  await db.preference.create({
    data: { contactId: contact.id, categoryKey: 'newsletter', subscribed: false },
  });
  return contact;
}

describe('a forwarded preference link', () => {
  it('cannot opt in through a link older than 90 days: nothing changes and the page asks to confirm by mail', async () => {
    const contact = await optedOut();
    const old = tokenFor(web, contact.id, undefined, undefined, {
      issuedAt: new Date(Date.now() - 100 * DAY),
    });
    const saved = await postForm(`${web.url}/preferences/${old}`, everythingOn);
    expect(saved.status).toBe(200);
    expect(textOf(saved.html)).toContain('We could not send a confirmation email just now');
    expect(await consentLog(db, contact.id)).toEqual([]);
    const after = await db.contact.findUniqueOrThrow({ where: { id: contact.id } });
    expect(after.promotionalOptOut).toBe(true);
  });

  it("opts in through a fresh link only to the link's own category", async () => {
    const contact = await optedOut();
    const saved = await postForm(`${web.url}/preferences/${tokenFor(web, contact.id)}`, everythingOn);
    expect(textOf(saved.html)).toContain('Newsletter: on');
    expect((await consentLog(db, contact.id)).map((row) => [row.categoryKey, row.action])).toEqual([
      ['newsletter', 'subscribe'],
    ]);
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).promotionalOptOut).toBe(true);
  });

  it('after revoke-links, shows no preference center and cannot subscribe, but still unsubscribes', async () => {
    const contact = await createContact(db, 'revoked');
    await db.contact.update({ where: { id: contact.id }, data: { tokenEpoch: 1 } });
    const revoked = tokenFor(web, contact.id);
    expect((await getPage(`${web.url}/preferences/${revoked}`)).status).toBe(400);
    expect((await postForm(`${web.url}/preferences/${revoked}`, everythingOn)).status).toBe(400);

    const unsubscribe = `${web.url}/unsubscribe/${revoked}`;
    expect(textOf((await postForm(unsubscribe, [])).html)).toContain('You are unsubscribed');
    const undo = await postForm(unsubscribe, [
      ['intent', 'undo'],
      ['undo', 'category'],
    ]);
    expect(textOf(undo.html)).toContain('This link can no longer subscribe you');
    expect((await consentLog(db, contact.id)).map((row) => [row.categoryKey, row.action])).toEqual([
      ['newsletter', 'unsubscribe'],
    ]);
  });

  it('applies the opt-ins a confirmation link names when the person presses Confirm, once', async () => {
    const contact = await optedOut();
    const keys = parseSigningKeys(web.env.HERALD_SECRET ?? '');
    const token = signConfirmationToken(
      {
        contactId: contact.id,
        tokenEpoch: 0,
        categories: ['newsletter'],
        allPromotional: true,
        expiresAt: new Date(Date.now() + 3_600_000),
      },
      keys,
    );
    const url = `${web.url}/preferences/confirm/${token}`;
    const page = await getPage(url);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('Newsletter, All marketing email');
    expect(await consentLog(db, contact.id)).toEqual([]);

    const confirmed = await postForm(url, []);
    expect(textOf(confirmed.html)).toContain('Confirmed');
    await postForm(url, []);
    const log = await consentLog(db, contact.id);
    expect(log.map((row) => [row.categoryKey, row.action, row.source, row.reason])).toEqual([
      ['newsletter', 'subscribe', 'preference_center', 'confirmed by mail'],
      [null, 'subscribe', 'preference_center', 'confirmed by mail'],
    ]);

    const expired = signConfirmationToken(
      {
        contactId: contact.id,
        tokenEpoch: 0,
        categories: [],
        allPromotional: true,
        expiresAt: new Date(Date.now() - 1000),
      },
      keys,
    );
    const gone = await getPage(`${web.url}/preferences/confirm/${expired}`);
    expect(gone.status).toBe(410);
    expect((await getPage(`${web.url}/preferences/confirm/${token.slice(0, -3)}`)).status).toBe(400);
  });
});
