import type { Db } from '@herald/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, consentLog, createContact } from './support/fixtures.js';
import { getPage, postForm, textOf, withoutNonce } from './support/forms.js';
import { cookiePair, storeSignInToken } from './support/sign-in.js';
import { freePort, startWebServer, type WebServer } from '@herald/test-support';

/** `/account` over HTTP: magic-link sign-in, the session cookie, CSRF on its forms. */
let web: WebServer;
let db: Db;

beforeAll(async () => {
  db = connect();
  // No API behind this server: a sign-in mail for a known address is stored, then fails to send.
  web = await startWebServer({ HERALD_API_URL: `http://127.0.0.1:${await freePort()}` });
});
afterAll(async () => {
  await web?.stop();
  await db?.$disconnect();
});

async function signIn(contactId: string) {
  const token = await storeSignInToken(db, contactId);
  const response = await postForm(`${web.url}/account/sign-in/${token}`, []);
  expect(response.status).toBe(303);
  const cookie = cookiePair(response.headers.get('set-cookie'));
  const page = await getPage(`${web.url}/account`, { cookie });
  const csrf = page.html.match(/name="csrf" value="([^"]+)"/)?.[1] ?? '';
  return { cookie, csrf, page };
}

const preferencesForm = (extra: [string, string][]): [string, string][] => [
  ['form', 'preferences'],
  ['allPromotional', 'on'],
  ['shown', 'newsletter'],
  ...extra,
];

describe('the account page', () => {
  it('answers a known and an unknown address with the same page', async () => {
    const contact = await createContact(db);
    const unknown = await postForm(`${web.url}/account`, [
      ['intent', 'request-link'],
      ['email', `nobody-${Date.now()}@example.test`],
    ]);
    const known = await postForm(`${web.url}/account`, [
      ['intent', 'request-link'],
      ['email', (contact.email ?? '').toUpperCase()],
    ]);

    expect([known.status, unknown.status]).toEqual([200, 200]);
    expect(withoutNonce(known.html)).toBe(withoutNonce(unknown.html));
    expect(textOf(known.html)).toContain(
      'If an account uses that address, we have emailed it a sign-in link',
    );

    // The link is stored (as a hash, expiring in 15 minutes) only for the known address.
    let rows = await db.signInToken.findMany({ where: { contactId: contact.id } });
    for (let i = 0; i < 50 && rows.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      rows = await db.signInToken.findMany({ where: { contactId: contact.id } });
    }
    expect(rows).toHaveLength(1);
    expect(rows[0]?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    const minutes = ((rows[0]?.expiresAt.getTime() ?? 0) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);
  });

  it('asks again for something that is not an email address', async () => {
    const response = await postForm(`${web.url}/account`, [
      ['intent', 'request-link'],
      ['email', 'not an address'],
    ]);
    expect(response.status).toBe(400);
    expect(textOf(response.html)).toContain('Enter your email address');
  });

  it('signs in once with a link: GET only shows a button, the POST sets an httpOnly SameSite=Lax cookie', async () => {
    const contact = await createContact(db);
    const token = await storeSignInToken(db, contact.id);
    const url = `${web.url}/account/sign-in/${token}`;

    const shown = await getPage(url, { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1)' });
    expect(shown.status).toBe(200);
    expect(shown.headers.get('set-cookie')).toBeNull();
    expect((await db.signInToken.findFirstOrThrow({ where: { contactId: contact.id } })).usedAt).toBeNull();

    const used = await postForm(url, [], { origin: web.url });
    expect(used.status).toBe(303);
    expect(used.headers.get('location')).toBe('/account');
    const setCookie = used.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^herald_session=/);
    expect(setCookie).toMatch(/; HttpOnly/i);
    expect(setCookie).toMatch(/; SameSite=Lax/i);
    expect(setCookie).not.toMatch(/; Secure/i);

    const account = await getPage(`${web.url}/account`, { cookie: cookiePair(setCookie) });
    expect(textOf(account.html)).toContain('Your email preferences');
    expect(textOf(account.html)).toContain(`${contact.email?.[0]}••••@example.test`);

    const again = await postForm(url, []);
    expect(again.status).toBe(400);
    expect(again.headers.get('set-cookie')).toBeNull();
    expect(textOf(again.html)).toContain('This sign-in link cannot be used');
  });

  it('refuses an expired link and a sign-in posted from another site', async () => {
    const contact = await createContact(db);
    const expired = await storeSignInToken(db, contact.id, -1000);
    const response = await postForm(`${web.url}/account/sign-in/${expired}`, []);
    expect(response.status).toBe(400);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect((await getPage(`${web.url}/account/sign-in/${expired}`)).status).toBe(400);

    const fresh = await storeSignInToken(db, contact.id);
    const crossSite = await postForm(`${web.url}/account/sign-in/${fresh}`, [], {
      origin: 'https://attacker.example',
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get('set-cookie')).toBeNull();
    expect((await postForm(`${web.url}/account/sign-in/${fresh}`, [])).status).toBe(303);
  });

  it('refuses a save without the session’s CSRF token and changes nothing; with it, saves as account-page', async () => {
    const contact = await createContact(db);
    const { cookie, csrf } = await signIn(contact.id);
    expect(csrf.length).toBeGreaterThan(20);

    const missing = await postForm(`${web.url}/account`, preferencesForm([]), { cookie });
    const wrong = await postForm(`${web.url}/account`, preferencesForm([['csrf', `${csrf.slice(1)}x`]]), {
      cookie,
    });
    const noSession = await postForm(`${web.url}/account`, preferencesForm([['csrf', csrf]]));
    expect([missing.status, wrong.status, noSession.status]).toEqual([403, 403, 403]);
    expect(textOf(missing.html)).toContain('Nothing was changed');
    expect(await consentLog(db, contact.id)).toEqual([]);

    const saved = await postForm(`${web.url}/account`, preferencesForm([['csrf', csrf]]), { cookie });
    expect(saved.status).toBe(200);
    expect(textOf(saved.html)).toContain('Newsletter: off');
    expect((await consentLog(db, contact.id)).map((row) => [row.categoryKey, row.source])).toEqual([
      ['newsletter', 'account_page'],
    ]);
  });

  it('signs out with a POST carrying the CSRF token', async () => {
    const contact = await createContact(db);
    const { cookie, csrf } = await signIn(contact.id);
    expect((await postForm(`${web.url}/account/sign-out`, [], { cookie })).status).toBe(403);

    const out = await postForm(`${web.url}/account/sign-out`, [['csrf', csrf]], { cookie });
    expect(out.status).toBe(303);
    const cleared = out.headers.get('set-cookie') ?? '';
    expect(cleared).toMatch(/^herald_session=;/);
    const after = await getPage(`${web.url}/account`, { cookie: cookiePair(cleared) });
    expect(textOf(after.html)).toContain('Sign in to manage your email');
  });

  it('marks the session cookie Secure when the public address is https', async () => {
    const secure = await startWebServer({ PUBLIC_WEB_URL: 'https://prefs.example.test' });
    try {
      const contact = await createContact(db);
      const token = await storeSignInToken(db, contact.id);
      const response = await postForm(`${secure.url}/account/sign-in/${token}`, []);
      expect(response.status).toBe(303);
      expect(response.headers.get('set-cookie')).toMatch(/; Secure/i);
    } finally {
      await secure.stop();
    }
  });
});
