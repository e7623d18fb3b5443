import type { Db } from '@herald/db';
import { startHeraldWithWeb, type HeraldWithWeb } from '@herald/test-support';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAdmin, newClient, openSignIn, signIn, type Account } from './support/console-sign-in.js';
import { connect } from './support/fixtures.js';
import { postForm, textOf } from './support/forms.js';

/**
 * Issue 11, finding 5: the console's sign-in limiter counts each password check before it is made,
 * in one atomic step, so guesses sent all at once cannot all be checked while the first ones are
 * still in scrypt. It counts per account and per client network, an IPv6 client by its /64.
 */
const LIMIT = 10;
let stack: HeraldWithWeb;
let db: Db;
let webUrl: string;

beforeAll(async () => {
  db = connect();
  stack = await startHeraldWithWeb({ workers: 0, webEnv: { ADMIN_SIGN_IN_FAILURE_LIMIT: String(LIMIT) } });
  webUrl = stack.web.url;
});
afterAll(async () => {
  await stack?.stop();
  await db?.$disconnect();
});

/** A /64 of the documentation range no other test uses. */
const newIPv6Network = () => `2001:db8:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}`;

describe('console sign-in under concurrent guesses', () => {
  it(`checks at most ${LIMIT} of forty concurrent wrong passwords, then refuses the right one`, async () => {
    const admin = await newAdmin(db);
    const client = newClient();
    // One opened form, posted forty times at once, as a script would.
    const form = await openSignIn(webUrl, client);
    const guesses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        postForm(
          `${webUrl}/admin/sign-in`,
          [
            ['csrf', form.csrf],
            ['email', admin.email],
            ['password', `wrong-guess-${i}`],
          ],
          { ...client, cookie: form.cookie },
        ),
      ),
    );
    const statuses = guesses.map((guess) => guess.status);
    const checked = statuses.filter((status) => status === 401).length;
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
    expect(checked).toBeLessThanOrEqual(LIMIT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(40 - checked);

    const right = await signIn(webUrl, admin, client);
    expect(right.status).toBe(429);
    expect(right.headers.get('set-cookie')).toBeNull();
    expect(textOf(right.html)).toContain('Too many failed sign-ins');
    // The account limit holds from any other address too.
    expect((await signIn(webUrl, admin, newClient())).status).toBe(429);
    const row = await db.adminUser.findUniqueOrThrow({
      where: { email: admin.email },
      select: { lastSignInAt: true, sessions: { select: { id: true } } },
    });
    expect(row).toEqual({ lastSignInAt: null, sessions: [] });
  });

  it('counts an IPv6 client by its /64, so changing the last 64 bits does not reset the count', async () => {
    const network = newIPv6Network();
    for (let i = 1; i <= LIMIT; i++) {
      // A different address in the /64 each time, and a different (unknown) account each time.
      const guess = await signIn(
        webUrl,
        { email: `nobody-${i}-${randomBytes(3).toString('hex')}@example.test`, password: 'wrong-password' },
        { 'x-forwarded-for': `${network}:${i.toString(16)}::${i.toString(16)}` },
      );
      expect(guess.status).toBe(401);
    }
    const admin = await newAdmin(db);
    const sameNetwork = await signIn(webUrl, admin, { 'x-forwarded-for': `${network}:ffff:0:0:99` });
    expect(sameNetwork.status).toBe(429);
    const otherNetwork = await signIn(webUrl, admin, { 'x-forwarded-for': `${newIPv6Network()}::1` });
    expect(otherNetwork.status).toBe(303);
  });

  it('does not count right passwords against the limit', async () => {
    const admin: Account = await newAdmin(db);
    const client = newClient();
    for (let i = 0; i <= LIMIT; i++) expect((await signIn(webUrl, admin, client)).status).toBe(303);
    expect((await signIn(webUrl, { ...admin, password: 'wrong-password' }, client)).status).toBe(401);
  });
});
