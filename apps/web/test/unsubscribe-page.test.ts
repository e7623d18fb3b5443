import type { Db } from '@herald/db';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, consentLog, createContact, preferenceRows, tokenFor } from './support/fixtures.js';
import { getPage, postForm, textOf } from './support/forms.js';
import { startWebServer, type WebServer } from '@herald/test-support';

/** `/unsubscribe/:token` over plain HTTP, as a browser without JavaScript uses it. */
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

describe('the unsubscribe page', () => {
  it('names the category, unsubscribes with one button, and undoes it; both are logged', async () => {
    const contact = await createContact(db);
    const messageId = randomUUID();
    const url = `${web.url}/unsubscribe/${tokenFor(web, contact.id, undefined, messageId)}`;

    const page = await getPage(url);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('Unsubscribe from Newsletter?');
    expect(page.html).toContain('Also unsubscribe from all marketing email');
    expect(page.html).toMatch(/href="\/preferences\/[^"]+"/);
    expect(await consentLog(db, contact.id)).toEqual([]);

    const done = await postForm(url, []);
    expect(done.status).toBe(200);
    expect(textOf(done.html)).toContain('You will not get Newsletter emails any more');
    expect(done.html).toContain('Undo: subscribe me again');
    expect(await preferenceRows(db, contact.id)).toMatchObject([
      { categoryKey: 'newsletter', subscribed: false },
    ]);

    const undone = await postForm(url, [
      ['intent', 'undo'],
      ['undo', 'category'],
    ]);
    expect(undone.status).toBe(200);
    expect(textOf(undone.html)).toContain('You will get Newsletter emails again');
    expect(await preferenceRows(db, contact.id)).toMatchObject([
      { categoryKey: 'newsletter', subscribed: true },
    ]);

    const log = await consentLog(db, contact.id);
    expect(log.map((row) => [row.categoryKey, row.action, row.source, row.messageId])).toEqual([
      ['newsletter', 'unsubscribe', 'unsubscribe_page', messageId],
      ['newsletter', 'subscribe', 'unsubscribe_page', messageId],
    ]);
  });

  it('offers all marketing: the choice sets the all-promotional opt-out; undo restores the category at once and asks to confirm all marketing by mail', async () => {
    const contact = await createContact(db);
    const url = `${web.url}/unsubscribe/${tokenFor(web, contact.id, {
      kind: 'category',
      categoryKey: 'product-news',
    })}`;

    const done = await postForm(url, [['allMarketing', 'on']]);
    expect(textOf(done.html)).toContain(
      'You will not get Product news emails or any marketing email any more',
    );
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).promotionalOptOut).toBe(true);

    const undone = await postForm(url, [
      ['intent', 'undo'],
      ['undo', 'category'],
      ['undo', 'all-marketing'],
    ]);
    // A Product news link reaches Product news; clearing the all-marketing opt-out reaches every
    // category, so it waits for a confirmation mail (this server has no API: the page says none went).
    expect(textOf(undone.html)).toContain('You will get Product news emails again');
    expect(textOf(undone.html)).toContain('We could not send a confirmation email just now');
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).promotionalOptOut).toBe(true);
    expect((await consentLog(db, contact.id)).map((row) => [row.categoryKey, row.action])).toEqual([
      ['product-news', 'unsubscribe'],
      [null, 'unsubscribe'],
      ['product-news', 'subscribe'],
    ]);
  });

  it('says so when there was nothing to change, and offers no undo', async () => {
    const contact = await createContact(db);
    const url = `${web.url}/unsubscribe/${tokenFor(web, contact.id)}`;
    await postForm(url, []);
    const again = await postForm(url, []);
    expect(textOf(again.html)).toContain('You were already unsubscribed');
    expect(again.html).not.toContain('Undo');
    expect(await consentLog(db, contact.id)).toHaveLength(1);
  });

  it('explains that a required category cannot be turned off and only offers all marketing', async () => {
    const contact = await createContact(db);
    const url = `${web.url}/unsubscribe/${tokenFor(web, contact.id, {
      kind: 'category',
      categoryKey: 'security',
    })}`;
    const page = await getPage(url);
    expect(textOf(page.html)).toContain('Security emails cannot be turned off');

    await postForm(url, [['allMarketing', 'on']]);
    expect(await preferenceRows(db, contact.id)).toEqual([]);
    expect((await consentLog(db, contact.id)).map((row) => row.categoryKey)).toEqual([null]);
  });

  it('answers a bad token with a 400 page that reveals nothing, for GET and POST alike', async () => {
    const contact = await createContact(db);
    const token = tokenFor(web, contact.id);
    for (const bad of [token.slice(0, -4), `${token}x`]) {
      const page = await getPage(`${web.url}/unsubscribe/${bad}`);
      expect(page.status).toBe(400);
      expect(textOf(page.html)).toContain('This link is not valid');
      expect(page.html).not.toContain(contact.id);
      const posted = await postForm(`${web.url}/unsubscribe/${bad}`, [['allMarketing', 'on']]);
      expect(posted.status).toBe(400);
    }
    expect(await consentLog(db, contact.id)).toEqual([]);
  });
});
