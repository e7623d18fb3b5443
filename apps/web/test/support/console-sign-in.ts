import type { Db } from '@herald/db';
import { createHash, randomBytes } from 'node:crypto';
import { seedAdmin } from '../../../../prisma/seed-admin.js';
import { getPage, postForm } from './forms.js';
import { cookiePair } from './sign-in.js';

export type Account = { email: string; password: string };

/** A console account of its own, so tests that sign in, fail or change passwords do not mix. */
export async function newAdmin(db: Db): Promise<Account> {
  const email = `admin-${randomBytes(5).toString('hex')}@example.test`;
  const password = `pw-${randomBytes(9).toString('base64url')}`;
  await seedAdmin(db, { email, password });
  return { email, password };
}

/** A client address of its own (the server trusts X-Forwarded-For from loopback), so limits do not mix. */
export const newClient = () => ({
  'x-forwarded-for': `10.${[1, 2, 3].map(() => Math.floor(Math.random() * 250) + 1).join('.')}`,
});

/** Opens the sign-in form: the pre-sign-in cookie and the CSRF token it carries. */
export async function openSignIn(webUrl: string, headers: Record<string, string> = {}) {
  const page = await getPage(`${webUrl}/admin/sign-in`, headers);
  return {
    page,
    cookie: cookiePair(page.headers.get('set-cookie')),
    csrf: csrfOf(page.html),
  };
}

/** Posts the sign-in form as a browser without JavaScript does, from a fresh form. */
export async function signIn(
  webUrl: string,
  account: Account,
  headers: Record<string, string> = newClient(),
  next = '/admin',
) {
  const form = await openSignIn(webUrl, headers);
  return postForm(
    `${webUrl}/admin/sign-in`,
    [
      ['csrf', form.csrf],
      ['next', next],
      ['email', account.email],
      ['password', account.password],
    ],
    { ...headers, cookie: form.cookie },
  );
}

/** Signs in and returns the console cookie (`herald_admin=…`) to send back. */
export async function signedInCookie(webUrl: string, account: Account): Promise<string> {
  const response = await signIn(webUrl, account);
  if (response.status !== 303) throw new Error(`sign-in answered ${response.status}`);
  return cookiePair(response.headers.get('set-cookie'));
}

/** The CSRF token a console page's forms post back. */
export const csrfOf = (html: string) => html.match(/name="csrf" value="([^"]+)"/)?.[1] ?? '';

/**
 * The session secret a console cookie carries, read as an attacker who copied the cookie could:
 * the value is Remix's signed cookie, base64 JSON before the signature.
 */
export function sessionSecretOf(cookie: string): string {
  const value = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1));
  const json = Buffer.from(value.slice(0, value.lastIndexOf('.')), 'base64').toString('utf8');
  return (JSON.parse(json) as { secret?: string }).secret ?? '';
}

/** How admin_sessions stores a secret (and the API looks it up). */
export const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');
