import type { Db } from '@herald/db';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, consentLog, createContact, preferenceRows, tokenFor } from './support/fixtures.js';
import { getPage, inputTag, postForm, textOf } from './support/forms.js';
import { startWebServer, type WebServer } from '@herald/test-support';

/** `/preferences/:token` over plain HTTP, as a browser without JavaScript uses it. */
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

/** The form as the page posts it with every optional category and all marketing switched on. */
const everythingOn: [string, string][] = [
  ['form', 'preferences'],
  ['allPromotional', 'on'],
  ...['service-notices', 'collaboration-invites', 'newsletter', 'product-news', 'promotions'].flatMap(
    (key): [string, string][] => [
      ['shown', key],
      ['category', key],
    ],
  ),
];
const without = (fields: [string, string][], ...drop: string[]) =>
  fields.filter(([name, value]) => !(drop.includes(value) && name !== 'shown'));

describe('the preference center', () => {
  it('shows every category grouped, required ones locked with the reason, and the address masked', async () => {
    const contact = await createContact(db);
    const page = await getPage(`${web.url}/preferences/${tokenFor(web, contact.id)}`);
    expect(page.status).toBe(200);
    const text = textOf(page.html);

    expect(text).toContain('About your account (transactional)');
    expect(text).toContain('Marketing (promotional)');
    expect(text.indexOf('Security')).toBeLessThan(text.indexOf('Marketing (promotional)'));
    expect(text.indexOf('Newsletter')).toBeGreaterThan(text.indexOf('Marketing (promotional)'));
    expect(inputTag(page.html, 'category-security')).toMatch(/(?=.*checked="")(?=.*disabled="")/);
    expect(text).toContain('Always on: we must be able to reach you');
    expect(inputTag(page.html, 'allPromotional')).toContain('checked=""');
    expect(inputTag(page.html, 'category-newsletter')).not.toContain('disabled');

    const [local, domain] = (contact.email ?? '').split('@');
    expect(text).toContain(`${local?.[0]}••••@${domain}`);
    expect(page.html).not.toContain(contact.email ?? '@');
  });

  it('saves three changes in one transaction, logs three entries and shows what changed', async () => {
    const contact = await createContact(db);
    const messageId = randomUUID();
    const url = `${web.url}/preferences/${tokenFor(web, contact.id, undefined, messageId)}`;
    const saved = await postForm(url, without(everythingOn, 'newsletter', 'promotions', 'service-notices'));

    expect(saved.status).toBe(200);
    const text = textOf(saved.html);
    expect(text).toContain('Saved. What changed:');
    expect(text).toContain('Newsletter: off');
    expect(text).toContain('Offers and promotions: off');
    expect(text).toContain('Service notices: off');
    expect(inputTag(saved.html, 'category-newsletter')).not.toContain('checked');
    expect(inputTag(saved.html, 'category-product-news')).toContain('checked=""');

    const log = await consentLog(db, contact.id);
    expect(log.map((row) => [row.categoryKey, row.action, row.source, row.messageId]).sort()).toEqual(
      [
        ['newsletter', 'unsubscribe', 'preference_center', messageId],
        ['promotions', 'unsubscribe', 'preference_center', messageId],
        ['service-notices', 'unsubscribe', 'preference_center', messageId],
      ].sort(),
    );
    // One transaction: every row of the save carries the same commit timestamp.
    expect(new Set(log.map((row) => row.occurredAt.getTime())).size).toBe(1);

    const again = await postForm(url, without(everythingOn, 'newsletter', 'promotions', 'service-notices'));
    expect(textOf(again.html)).toContain('Saved. Nothing changed.');
    expect(await consentLog(db, contact.id)).toHaveLength(3);
  });

  it('switches all marketing off with one box and never unsubscribes a required category', async () => {
    const contact = await createContact(db);
    const url = `${web.url}/preferences/${tokenFor(web, contact.id)}`;
    const saved = await postForm(url, [
      ...everythingOn.filter(([name]) => name !== 'allPromotional'),
      ['shown', 'security'],
    ]);
    expect(textOf(saved.html)).toContain('All marketing email: off');
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).promotionalOptOut).toBe(true);
    expect(await preferenceRows(db, contact.id)).toEqual([]);
  });

  it('changes only the token’s own contact', async () => {
    const [mine, theirs] = [await createContact(db), await createContact(db)];
    await postForm(`${web.url}/preferences/${tokenFor(web, mine.id)}`, without(everythingOn, 'newsletter'));
    expect(await consentLog(db, mine.id)).toHaveLength(1);
    expect(await consentLog(db, theirs.id)).toEqual([]);
  });

  it('answers a bad token with the 400 page, and a post that is not the form with 400, changing nothing', async () => {
    const contact = await createContact(db);
    const token = tokenFor(web, contact.id);
    const bad = await postForm(
      `${web.url}/preferences/${token.slice(1)}`,
      without(everythingOn, 'newsletter'),
    );
    expect(bad.status).toBe(400);
    expect(textOf(bad.html)).toContain('This link is not valid');
    const notTheForm = await postForm(`${web.url}/preferences/${token}`, [['category', 'newsletter']]);
    expect(notTheForm.status).toBe(400);
    expect(await consentLog(db, contact.id)).toEqual([]);
  });

  it('refuses a post from another site with a 403 page (never a 500) and changes nothing', async () => {
    const contact = await createContact(db);
    const url = `${web.url}/preferences/${tokenFor(web, contact.id)}`;
    const crossSite = await postForm(url, without(everythingOn, 'newsletter'), {
      origin: 'https://elsewhere.example',
    });
    expect(crossSite.status).toBe(403);
    expect(textOf(crossSite.html)).toContain('Nothing was changed');
    expect(await consentLog(db, contact.id)).toEqual([]);
  });
});
