import { createCookieSessionStorage } from '@remix-run/node';
import { randomBytes } from 'node:crypto';
import { isHttps, sessionSecret } from './env.server';

/** How long a sign-in lasts, enforced on the server too (a copied cookie does not live forever). */
const SESSION_SECONDS = 8 * 60 * 60;

type SessionData = { contactId: string; csrf: string; expiresAt: number };

/**
 * The account session: a signed cookie, httpOnly, SameSite=Lax, Secure on https. Its path is
 * "/" because Remix's data requests go to `/account.data`, which a "/account" cookie would not
 * reach; only the /account routes read it (the one-click route never does).
 */
const storage = createCookieSessionStorage<SessionData>({
  cookie: {
    name: 'herald_session',
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: isHttps,
    maxAge: SESSION_SECONDS,
    secrets: [sessionSecret],
  },
});

export type AccountSession = { contactId: string; csrf: string };

export async function readAccountSession(request: Request): Promise<AccountSession | null> {
  const session = await storage.getSession(request.headers.get('Cookie'));
  const contactId = session.get('contactId');
  const csrf = session.get('csrf');
  const expiresAt = session.get('expiresAt');
  if (!contactId || !csrf || !expiresAt || expiresAt < Date.now()) return null;
  return { contactId, csrf };
}

/** A new session, with a fresh CSRF token bound to it; returns the Set-Cookie value. */
export async function startAccountSession(contactId: string): Promise<string> {
  const session = await storage.getSession();
  session.set('contactId', contactId);
  session.set('csrf', randomBytes(24).toString('base64url'));
  session.set('expiresAt', Date.now() + SESSION_SECONDS * 1000);
  return storage.commitSession(session);
}

export async function endAccountSession(request: Request): Promise<string> {
  return storage.destroySession(await storage.getSession(request.headers.get('Cookie')));
}
