import { createCookieSessionStorage } from '@remix-run/node';
import { createHmac, randomBytes } from 'node:crypto';
import { isHttps, sessionSecret } from '../env.server';

/** A console sign-in lasts a working day, enforced on the server too. */
const SESSION_SECONDS = 8 * 60 * 60;

type SessionData = { adminId: string; csrf: string; expiresAt: number };

/**
 * The console's own cookie, apart from the account page's: a contact's session never reaches the
 * console, and signing out of one leaves the other. Signed with a key derived from the session
 * secret under another label, so a value of one cookie is no valid value of the other. Path "/"
 * because Remix's data requests (`/admin.data`) fall outside a "/admin" path.
 */
const storage = createCookieSessionStorage<SessionData>({
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

/** `adminId` is null before sign-in: the sign-in form's CSRF token lives in the same cookie. */
export type AdminSession = { adminId: string | null; csrf: string };

export async function readAdminSession(request: Request): Promise<AdminSession | null> {
  const session = await storage.getSession(request.headers.get('Cookie'));
  const csrf = session.get('csrf');
  const expiresAt = session.get('expiresAt');
  if (!csrf || !expiresAt || expiresAt < Date.now()) return null;
  return { adminId: session.get('adminId') ?? null, csrf };
}

/**
 * A new cookie with a fresh CSRF token: signed in as `adminId`, or (null) only carrying the token
 * the sign-in form posts back. Signing in always starts a new one, so a token planted before
 * sign-in is worthless after it.
 */
export async function startAdminSession(adminId: string | null): Promise<{ cookie: string; csrf: string }> {
  const session = await storage.getSession();
  const csrf = randomBytes(24).toString('base64url');
  if (adminId) session.set('adminId', adminId);
  session.set('csrf', csrf);
  session.set('expiresAt', Date.now() + SESSION_SECONDS * 1000);
  return { cookie: await storage.commitSession(session), csrf };
}

export async function endAdminSession(request: Request): Promise<string> {
  return storage.destroySession(await storage.getSession(request.headers.get('Cookie')));
}
