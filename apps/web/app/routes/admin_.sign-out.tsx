import type { ActionFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { clearAdminCookie, readAdminCookie } from '~/server/admin/admin-session.server';
import { endConsoleSession } from '~/server/admin/console-sessions.server';
import { requireCsrf } from '~/server/require-csrf.server';

/**
 * Signing out is a POST with the session's CSRF token; a GET here changes nothing. It ends the
 * session on the server, so a copy of the cookie (another tab, a stolen one) stops working too.
 */
export async function action({ request }: ActionFunctionArgs) {
  const cookie = requireCsrf(await readAdminCookie(request), await request.formData());
  if (cookie.secret) await endConsoleSession(cookie.secret);
  return redirect('/admin/sign-in', {
    status: 303,
    headers: { 'Set-Cookie': await clearAdminCookie() },
  });
}

export function loader() {
  return redirect('/admin', 303);
}
