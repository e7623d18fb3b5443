import type { ActionFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { requireCsrf } from '~/server/require-csrf.server';
import { endAccountSession, readAccountSession } from '~/server/session.server';

/** Signing out is a POST with the session's CSRF token; a GET here changes nothing. */
export async function action({ request }: ActionFunctionArgs) {
  requireCsrf(await readAccountSession(request), await request.formData());
  return redirect('/account', { status: 303, headers: { 'Set-Cookie': await endAccountSession(request) } });
}

export function loader() {
  return redirect('/account', 303);
}
