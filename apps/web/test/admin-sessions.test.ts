import type { Db } from '@herald/db';
import { startHeraldWithWeb, type HeraldWithWeb } from '@herald/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfOf, hashOf, newAdmin, sessionSecretOf, signedInCookie } from './support/console-sign-in.js';
import { connect } from './support/fixtures.js';
import { getPage, postForm } from './support/forms.js';
import { cookiePair } from './support/sign-in.js';

/**
 * Issue 11, finding 9, over HTTP: console sign-ins are server-side sessions (admin_sessions),
 * looked up on every console request, so ending one on the server ends every copy of its cookie.
 */
let stack: HeraldWithWeb;
let db: Db;
let webUrl: string;

beforeAll(async () => {
  db = connect();
  stack = await startHeraldWithWeb({ workers: 0 });
  webUrl = stack.web.url;
});
afterAll(async () => {
  await stack?.stop();
  await db?.$disconnect();
});

const sessionOf = (cookie: string) =>
  db.adminSession.findUniqueOrThrow({ where: { tokenHash: hashOf(sessionSecretOf(cookie)) } });

/** A console page with this cookie: 200 when signed in, 303 to the sign-in form when not. */
const openConsole = (cookie: string) => getPage(`${webUrl}/admin/campaigns`, { cookie });

describe('console sessions', () => {
  it('stores a session per sign-in: the hash of the cookie’s random secret, 8 hours, the browser', async () => {
    const admin = await newAdmin(db);
    const before = Date.now();
    const cookie = await signedInCookie(webUrl, admin);
    const secret = sessionSecretOf(cookie);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    const session = await sessionOf(cookie);
    const { id } = await db.adminUser.findUniqueOrThrow({ where: { email: admin.email } });
    expect(session).toMatchObject({ adminUserId: id, revokedAt: null, userAgent: 'WebTest/1.0' });
    expect(session.tokenHash).not.toContain(secret);
    const eightHours = 8 * 3600_000;
    expect(session.expiresAt.getTime()).toBeGreaterThanOrEqual(before + eightHours - 1000);
    expect(session.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + eightHours + 1000);
    // A second sign-in is a second session.
    expect(sessionSecretOf(await signedInCookie(webUrl, admin))).not.toBe(secret);
    expect(await db.adminSession.count({ where: { adminUserId: id } })).toBe(2);
  });

  it('ends a copied session cookie at sign-out', async () => {
    const admin = await newAdmin(db);
    const cookie = await signedInCookie(webUrl, admin);
    const copy = cookie;
    const page = await openConsole(cookie);
    expect(page.status).toBe(200);

    const out = await postForm(`${webUrl}/admin/sign-out`, [['csrf', csrfOf(page.html)]], { cookie });
    expect([out.status, out.headers.get('location')]).toEqual([303, '/admin/sign-in']);
    const replayed = await openConsole(copy);
    expect(replayed.status).toBe(303);
    expect(replayed.headers.get('location')).toBe(
      `/admin/sign-in?next=${encodeURIComponent('/admin/campaigns')}`,
    );
    // The dead cookie is removed on the way, and the sign-in form does not treat it as signed in.
    expect(cookiePair(replayed.headers.get('set-cookie'))).toBe('herald_admin=');
    expect((await getPage(`${webUrl}/admin/sign-in`, { cookie: copy })).status).toBe(200);
    expect((await sessionOf(copy)).revokedAt).not.toBeNull();
  });

  it('signs out a session ended or expired on the server at its next request', async () => {
    const admin = await newAdmin(db);
    const signIn = () => signedInCookie(webUrl, admin);
    const [revoked, expired, live] = await Promise.all([signIn(), signIn(), signIn()]);
    for (const cookie of [revoked, expired, live]) expect((await openConsole(cookie)).status).toBe(200);

    await db.adminSession.update({
      where: { id: (await sessionOf(revoked)).id },
      data: { revokedAt: new Date() },
    });
    await db.adminSession.update({
      where: { id: (await sessionOf(expired)).id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await openConsole(revoked)).status).toBe(303);
    expect((await openConsole(expired)).status).toBe(303);
    expect((await openConsole(live)).status).toBe(200);
  });

  it('records when a session was last seen at most once a minute', async () => {
    const admin = await newAdmin(db);
    const cookie = await signedInCookie(webUrl, admin);
    const { id, lastSeenAt: signedInAt } = await sessionOf(cookie);
    await openConsole(cookie);
    expect((await sessionOf(cookie)).lastSeenAt).toEqual(signedInAt);

    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await db.adminSession.update({ where: { id }, data: { lastSeenAt: twoMinutesAgo } });
    const before = Date.now();
    await openConsole(cookie);
    const seen = (await sessionOf(cookie)).lastSeenAt;
    expect(seen.getTime()).toBeGreaterThanOrEqual(before - 1000);
    // The page's next requests within the minute write nothing.
    await Promise.all([openConsole(cookie), getPage(`${webUrl}/admin/policies`, { cookie })]);
    expect((await sessionOf(cookie)).lastSeenAt).toEqual(seen);
  });
});
