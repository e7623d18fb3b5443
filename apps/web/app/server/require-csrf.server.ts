import { data } from '@remix-run/node';
import { timingSafeEqual } from 'node:crypto';

/**
 * Forms that the session cookie authenticates carry the session's CSRF token. SameSite=Lax
 * already keeps the cookie off cross-site posts; this holds even where that does not (old
 * browsers, a sibling subdomain). Missing or wrong: 403, and the action changes nothing.
 */
export function requireCsrf<S extends { csrf: string }>(session: S | null, form: FormData): S {
  const sent = Buffer.from(String(form.get('csrf') ?? ''));
  const expected = Buffer.from(session?.csrf ?? '');
  if (!session || sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
    throw data(null, { status: 403 });
  }
  return session;
}
