import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { describeClient } from '~/server/client.server';
import { readAdminCookie, writeAdminCookie } from '~/server/admin/admin-session.server';
import {
  endConsoleSession,
  findLiveSession,
  openConsoleSession,
} from '~/server/admin/console-sessions.server';
import { safeNext } from '~/server/admin/require-admin.server';
import { signInAdmin } from '~/server/admin/sign-in-admin.server';
import { requireCsrf } from '~/server/require-csrf.server';

export const meta: MetaFunction = () => [{ title: 'Sign in: Herald console' }];

/** The document answer carries the action's Retry-After (Remix applies only what this returns). */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After');
  return retryAfter ? { 'Retry-After': retryAfter } : new Headers();
};

/**
 * The form's CSRF token is set in the console cookie before anyone signs in, so a sign-in posted
 * from another site (login CSRF) fails here as well as at server.js's Origin check. A cookie whose
 * session has ended is replaced by a fresh pre-sign-in one.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const next = safeNext(new URL(request.url).searchParams.get('next'));
  const cookie = await readAdminCookie(request);
  if (cookie?.secret && (await findLiveSession(cookie.secret))) return redirect(next, 303);
  if (cookie && !cookie.secret) return { csrf: cookie.csrf, next };
  const fresh = await writeAdminCookie(null);
  return data({ csrf: fresh.csrf, next }, { headers: { 'Set-Cookie': fresh.cookie } });
}

/**
 * A right password opens a server-side session (admin_sessions) whose secret the new cookie
 * carries; a session this browser still had is ended, so one browser holds one session.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const cookie = requireCsrf(await readAdminCookie(request), form);
  const client = describeClient(request, context);
  const result = await signInAdmin(form, client);
  const email = String(form.get('email') ?? '');
  if (!result.ok) {
    return data(
      { problem: result.reason, email },
      {
        status: result.reason === 'limited' ? 429 : 401,
        headers: result.reason === 'limited' ? { 'Retry-After': '900' } : {},
      },
    );
  }
  if (cookie.secret) await endConsoleSession(cookie.secret);
  const secret = await openConsoleSession(result.adminId, client.userAgent);
  return redirect(safeNext(form.get('next')), {
    status: 303,
    headers: { 'Set-Cookie': (await writeAdminCookie(secret)).cookie },
  });
}

export default function AdminSignIn() {
  const { csrf, next } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const problem = outcome?.problem;
  return (
    <>
      <h1>Sign in to the Herald console</h1>
      <p>For the people who run campaigns and policy announcements.</p>
      {problem && (
        <p role="alert" className="notice error" id="sign-in-error">
          {problem === 'limited'
            ? 'Too many failed sign-ins from your address or for this account. Wait 15 minutes, then try again.'
            : 'That email address and password do not match an account. Check both and try again.'}
        </p>
      )}
      <Form method="post">
        <input type="hidden" name="csrf" value={csrf} />
        <input type="hidden" name="next" value={next} />
        <div className="field">
          <label htmlFor="email">Email address</label>
          <input
            type="email"
            id="email"
            name="email"
            autoComplete="username"
            required
            defaultValue={outcome?.email}
            aria-describedby={problem ? 'sign-in-error' : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input type="password" id="password" name="password" autoComplete="current-password" required />
        </div>
        <button type="submit">Sign in</button>
      </Form>
    </>
  );
}
