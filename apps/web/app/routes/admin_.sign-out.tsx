import type { ActionFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { endAdminSession, readAdminSession } from '~/server/admin/admin-session.server';
import { requireCsrf } from '~/server/require-csrf.server';

/** Signing out is a POST with the session's CSRF token; a GET here changes nothing. */
export async function action({ request }: ActionFunctionArgs) {
  requireCsrf(await readAdminSession(request), await request.formData());
  return redirect('/admin/sign-in', {
    status: 303,
    headers: { 'Set-Cookie': await endAdminSession(request) },
  });
}

export function loader() {
  return redirect('/admin', 303);
}
