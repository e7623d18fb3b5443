import { createCookieSessionStorage } from '@remix-run/node';
import { createHmac, randomBytes } from 'node:crypto';
import { isHttps, sessionSecret } from '../env.server';

/** A console sign-in lasts a working day; the admin_sessions row ends it on the server too. */
export const SESSION_SECONDS = 8 * 60 * 60;

type CookieData = { secret: string; csrf: string; expiresAt: number };

/**
 * The console's own cookie, apart from the account page's: a contact's session never reaches the
 * console, and signing out of one leaves the other. Signed with a key derived from the session
 * secret under another label, so a value of one cookie is no valid value of the other. Path "/"
 * because Remix's data requests (`/admin.data`) fall outside a "/admin" path.
 */
const storage = createCookieSessionStorage<CookieData>({
  cookie: {
    name: 'herald_admin',
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: isHttps,
    maxAge: SESSION_SECONDS,
    secrets: [createHmac('sha256', sessionSecret).update('herald-admin-session').digest('base64url')],
  },
});

/**
 * What the cookie carries: the CSRF token its forms post back and, once signed in, the secret of a
 * server-side session (admin_sessions). The cookie alone proves nothing: `secret` is null before
 * sign-in, and after it only the session row it names says whether it still counts.
 */
export type AdminCookie = { secret: string | null; csrf: string };

export async function readAdminCookie(request: Request): Promise<AdminCookie | null> {
  const cookie = await storage.getSession(request.headers.get('Cookie'));
  const csrf = cookie.get('csrf');
  const expiresAt = cookie.get('expiresAt');
  if (!csrf || !expiresAt || expiresAt < Date.now()) return null;
  return { secret: cookie.get('secret') ?? null, csrf };
}

/**
 * A new cookie with a fresh CSRF token: carrying a signed-in session's secret, or (null) only the
 * token the sign-in form posts back. Signing in always writes a new one, so a token planted before
 * sign-in is worthless after it.
 */
export async function writeAdminCookie(secret: string | null): Promise<{ cookie: string; csrf: string }> {
  const cookie = await storage.getSession();
  const csrf = randomBytes(24).toString('base64url');
  if (secret) cookie.set('secret', secret);
  cookie.set('csrf', csrf);
  cookie.set('expiresAt', Date.now() + SESSION_SECONDS * 1000);
  return { cookie: await storage.commitSession(cookie), csrf };
}

/** A Set-Cookie header that removes the console cookie from the browser. */
export async function clearAdminCookie(): Promise<string> {
  return storage.destroySession(await storage.getSession());
}
