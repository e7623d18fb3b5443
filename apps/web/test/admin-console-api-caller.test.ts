import type { Db } from '@herald/db';
import { startHeraldWithWeb, type HeraldWithWeb } from '@herald/test-support';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfOf, newAdmin, sessionSecretOf, signedInCookie } from './support/console-sign-in.js';
import { connect } from './support/fixtures.js';
import { getPage, postForm } from './support/forms.js';

/**
 * The console calls the API as the person signed in (`Authorization: Console <session secret>`),
 * never with a key of the web app's: here the web app holds only keys the API refuses, and the
 * console still reads and changes what its user may. Ending the session on the web ends it at the
 * API too, so a copied cookie's secret is no way in there either.
 */
let stack: HeraldWithWeb;
let db: Db;
let webUrl: string;

beforeAll(async () => {
  db = connect();
  const refused = `refused-${randomBytes(12).toString('hex')}`;
  stack = await startHeraldWithWeb({
    workers: 0,
    webEnv: { HERALD_API_KEY: refused, HERALD_WEB_API_KEY: refused },
  });
  webUrl = stack.web.url;
});
afterAll(async () => {
  await stack?.stop();
  await db?.$disconnect();
});

const asConsole = (secret: string) =>
  fetch(`${stack.herald.apiUrl}/v1/campaigns?limit=1`, { headers: { authorization: `Console ${secret}` } });

describe('the console’s calls to the API', () => {
  it('are made with the signed-in person’s session, which sign-out ends at the API too', async () => {
    const admin = await newAdmin(db);
    const cookie = await signedInCookie(webUrl, admin);
    const page = await getPage(`${webUrl}/admin/suppressions`, { cookie });
    expect(page.status).toBe(200);

    const address = `held-${randomBytes(4).toString('hex')}@example.test`;
    const added = await postForm(
      `${webUrl}/admin/suppressions`,
      [
        ['csrf', csrfOf(page.html)],
        ['intent', 'add'],
        ['email', address],
        ['reason', 'manual'],
      ],
      { cookie },
    );
    expect(added.status).toBe(303);
    const listed = await stack.herald.client.call('GET', `/v1/suppressions?q=${encodeURIComponent(address)}`);
    expect(listed.body.suppressions.map((row: { email: string }) => row.email)).toEqual([address]);

    const secret = sessionSecretOf(cookie);
    expect((await asConsole(secret)).status).toBe(200);
    const out = await postForm(`${webUrl}/admin/sign-out`, [['csrf', csrfOf(page.html)]], { cookie });
    expect(out.status).toBe(303);
    expect((await asConsole(secret)).status).toBe(401);
  });
});
