import { data } from '@remix-run/node';
import { timingSafeEqual } from 'node:crypto';
import type { AccountSession } from './session.server';

/**
 * Forms that the session cookie authenticates carry the session's CSRF token. SameSite=Lax
 * already keeps the cookie off cross-site posts; this holds even where that does not (old
 * browsers, a sibling subdomain). Missing or wrong: 403, and the action changes nothing.
 */
export function requireCsrf(session: AccountSession | null, form: FormData): AccountSession {
  const sent = Buffer.from(String(form.get('csrf') ?? ''));
  const expected = Buffer.from(session?.csrf ?? '');
  if (!session || sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
    throw data(null, { status: 403 });
  }
  return session;
}
