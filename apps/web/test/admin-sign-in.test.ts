import type { Db } from '@herald/db';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newAdmin as createAdmin,
  newClient,
  openSignIn as openSignInForm,
  signIn as signInAt,
  type Account,
} from './support/console-sign-in.js';
import { connect } from './support/fixtures.js';
import { getPage, postForm, textOf } from './support/forms.js';
import { cookiePair } from './support/sign-in.js';
import { startHeraldWithWeb, type ApiClient, type HeraldWithWeb, type WebServer } from '@herald/test-support';

/**
 * `/admin` sign-in over HTTP: scrypt-hashed passwords, the console's own cookie, CSRF on every
 * form (sign-in included), and the failure limit per client address and per account. The real
 * API runs behind it (without a worker: nothing here sends mail).
 */
const LIMIT = 3;
let stack: HeraldWithWeb;
let web: WebServer;
let api: ApiClient;
let db: Db;

beforeAll(async () => {
  db = connect();
  stack = await startHeraldWithWeb({ workers: 0, webEnv: { ADMIN_SIGN_IN_FAILURE_LIMIT: String(LIMIT) } });
  ({ web } = stack);
  api = stack.herald.client;
});
afterAll(async () => {
  await stack?.stop();
  await db?.$disconnect();
});

const newAdmin = () => createAdmin(db);
const openSignIn = (headers: Record<string, string> = {}) => openSignInForm(web.url, headers);
const signIn = (account: Account, headers: Record<string, string> = newClient(), next = '/admin') =>
  signInAt(web.url, account, headers, next);

describe('console sign-in', () => {
  it('sends every console page to the sign-in form, and back after signing in', async () => {
    const admin = await newAdmin();
    const closed = await getPage(`${web.url}/admin/campaigns/new?template=newsletter`);
    expect(closed.status).toBe(303);
    const location = closed.headers.get('location') ?? '';
    expect(location).toBe(
      `/admin/sign-in?next=${encodeURIComponent('/admin/campaigns/new?template=newsletter')}`,
    );

    const { page, csrf } = await openSignIn();
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('Sign in to the Herald console');
    const preCookie = page.headers.get('set-cookie') ?? '';
    expect(preCookie).toMatch(/^herald_admin=/);
    expect(preCookie).toMatch(/; HttpOnly/i);
    expect(preCookie).toMatch(/; SameSite=Lax/i);
    expect(csrf.length).toBeGreaterThan(20);

    const signedIn = await signIn(admin, newClient(), '/admin/campaigns/new?template=newsletter');
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/admin/campaigns/new?template=newsletter');
    const cookie = cookiePair(signedIn.headers.get('set-cookie'));
    expect(cookie).not.toBe(cookiePair(preCookie));
    const home = await getPage(`${web.url}/admin`, { cookie });
    expect([home.status, home.headers.get('location')]).toEqual([302, '/admin/campaigns']);

    const row = await db.adminUser.findUniqueOrThrow({ where: { email: admin.email } });
    expect(row.passwordHash).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[\w-]{22}\$[\w-]{43}$/);
    expect(row.passwordHash).not.toContain(admin.password);
    expect(row.lastSignInAt).not.toBeNull();
  });

  it('refuses a wrong password and an unknown address with the same page, and signs nobody in', async () => {
    const admin = await newAdmin();
    const wrong = await signIn({ email: admin.email, password: `${admin.password}x` });
    const unknown = await signIn({ email: `nobody-${admin.email}`, password: admin.password });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    for (const response of [wrong, unknown]) {
      expect(textOf(response.html)).toContain('That email address and password do not match an account');
      expect(response.headers.get('set-cookie')).toBeNull();
    }
    expect(textOf(wrong.html)).toBe(textOf(unknown.html));
    expect((await db.adminUser.findUniqueOrThrow({ where: { email: admin.email } })).lastSignInAt).toBeNull();
  });

  it('refuses a sign-in without the form’s CSRF token, or posted from another site', async () => {
    const admin = await newAdmin();
    const { cookie } = await openSignIn();
    const fields: [string, string][] = [
      ['email', admin.email],
      ['password', admin.password],
    ];
    const noToken = await postForm(`${web.url}/admin/sign-in`, fields, { cookie });
    const noCookie = await postForm(`${web.url}/admin/sign-in`, [
      ['csrf', 'guessed-token-0123456789abcdef'],
      ...fields,
    ]);
    const form = await openSignIn();
    const crossSite = await postForm(`${web.url}/admin/sign-in`, [['csrf', form.csrf], ...fields], {
      cookie: form.cookie,
      origin: 'https://attacker.example',
    });
    expect([noToken.status, noCookie.status, crossSite.status]).toEqual([403, 403, 403]);
    for (const response of [noToken, noCookie, crossSite])
      expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('refuses console forms without the session’s CSRF token, and signs out only with it', async () => {
    const admin = await newAdmin();
    const cookie = cookiePair((await signIn(admin)).headers.get('set-cookie'));
    const form = await getPage(`${web.url}/admin/campaigns/new`, { cookie });
    expect(form.status).toBe(200);
    const csrf = form.html.match(/name="csrf" value="([^"]+)"/)?.[1] ?? '';
    expect(csrf.length).toBeGreaterThan(20);

    const name = `CSRF probe ${randomBytes(4).toString('hex')}`;
    const fields: [string, string][] = [
      ['intent', 'create'],
      ['name', name],
      ['template', 'newsletter'],
      ['data', '{}'],
      ['categories', 'newsletter'],
    ];
    const missing = await postForm(`${web.url}/admin/campaigns/new`, fields, { cookie });
    const wrong = await postForm(
      `${web.url}/admin/campaigns/new`,
      [['csrf', `${csrf.slice(1)}x`], ...fields],
      {
        cookie,
      },
    );
    const otherSession = cookiePair((await signIn(admin)).headers.get('set-cookie'));
    const foreign = await postForm(`${web.url}/admin/campaigns/new`, [['csrf', csrf], ...fields], {
      cookie: otherSession,
    });
    expect([missing.status, wrong.status, foreign.status]).toEqual([403, 403, 403]);
    expect(textOf(missing.html)).toContain('Nothing was changed');
    const listed = await api.call('GET', '/v1/campaigns?limit=100');
    expect(listed.body.campaigns.map((c: { name: string }) => c.name)).not.toContain(name);

    expect((await postForm(`${web.url}/admin/sign-out`, [], { cookie })).status).toBe(403);
    const out = await postForm(`${web.url}/admin/sign-out`, [['csrf', csrf]], { cookie });
    expect([out.status, out.headers.get('location')]).toEqual([303, '/admin/sign-in']);
    const cleared = cookiePair(out.headers.get('set-cookie'));
    expect(cleared).toBe('herald_admin=');
    expect((await getPage(`${web.url}/admin/campaigns`, { cookie: cleared })).status).toBe(303);
  });

  it('goes only to console paths after sign-in, never to another site', async () => {
    const admin = await newAdmin();
    for (const next of ['https://attacker.example/', '//attacker.example/admin', '/account']) {
      const response = await signIn(admin, newClient(), next);
      expect(response.headers.get('location')).toBe('/admin');
    }
  });

  it(`refuses sign-in after ${LIMIT} failures from one client address, even with the right password`, async () => {
    const client = newClient();
    const victims = await Promise.all([newAdmin(), newAdmin()]);
    for (let i = 0; i < LIMIT; i++) {
      const wrong = await signIn(
        { email: `guess-${i}-${victims[0]?.email}`, password: 'wrong-password' },
        client,
      );
      expect(wrong.status).toBe(401);
    }
    const limited = await signIn(victims[1] as Account, client);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('900');
    expect(limited.headers.get('set-cookie')).toBeNull();
    expect(textOf(limited.html)).toContain('Too many failed sign-ins');
    // Another client address is not affected.
    expect((await signIn(victims[1] as Account, newClient())).status).toBe(303);
  });

  it(`refuses sign-in to an account after ${LIMIT} failures for it from any addresses`, async () => {
    const admin = await newAdmin();
    for (let i = 0; i < LIMIT; i++) {
      expect((await signIn({ email: admin.email, password: `wrong-${i}` }, newClient())).status).toBe(401);
    }
    expect((await signIn(admin, newClient())).status).toBe(429);
    // Another account from a fresh address still signs in.
    expect((await signIn(await newAdmin(), newClient())).status).toBe(303);
  });
});
