import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { MIN_PASSWORD_LENGTH } from '@herald/passwords';
import { readAdminCookie, writeAdminCookie } from '~/server/admin/admin-session.server';
import { acceptInvitation, readInvitation } from '~/server/admin/team/accept-invitation.server';
import { requireCsrf } from '~/server/require-csrf.server';

export const meta: MetaFunction = () => [{ title: 'Join the Herald console' }];

/**
 * An invitation's link. Opening it changes nothing (mail scanners open links); only the form's post
 * sets the password, once. A link that was used, revoked or has expired says so, and no more.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const invitation = await readInvitation(params.token ?? '');
  if (!invitation) throw data(null, { status: 410 });
  const cookie = await readAdminCookie(request);
  if (cookie && !cookie.secret) return { ...invitation, csrf: cookie.csrf, minLength: MIN_PASSWORD_LENGTH };
  const fresh = await writeAdminCookie(null);
  return data(
    { ...invitation, csrf: fresh.csrf, minLength: MIN_PASSWORD_LENGTH },
    { headers: { 'Set-Cookie': fresh.cookie } },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  requireCsrf(await readAdminCookie(request), form);
  const outcome = await acceptInvitation(params.token ?? '', form);
  if (outcome.kind === 'gone') throw data(null, { status: 410 });
  if (outcome.kind === 'accepted') {
    return redirect(`/admin/sign-in?joined=${encodeURIComponent(outcome.email)}`, 303);
  }
  return data(outcome.errors, { status: 422 });
}

export default function Invitation() {
  const { email, role, csrf, minLength } = useLoaderData<typeof loader>();
  const errors = useActionData<typeof action>();
  return (
    <>
      <h1>Join the Herald console</h1>
      <p>
        You were invited as <strong>{email}</strong>, with the {role} role. Choose a password to finish; you
        then sign in with it.
      </p>
      {errors && (
        <p role="alert" className="notice error">
          Check the password: see the message below.
        </p>
      )}
      <Form method="post">
        <input type="hidden" name="csrf" value={csrf} />
        <input type="hidden" name="username" value={email} autoComplete="username" />
        <div className="field">
          <label htmlFor="password">New password</label>
          <p className="hint" id="password-hint">
            At least {minLength} characters.
          </p>
          <input
            type="password"
            id="password"
            name="password"
            autoComplete="new-password"
            required
            minLength={minLength}
            aria-describedby={errors?.fields.password ? 'password-hint password-error' : 'password-hint'}
            {...(errors?.fields.password && { 'aria-invalid': true })}
          />
          {errors?.fields.password && (
            <p className="field-error" id="password-error">
              {errors.fields.password}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="repeatPassword">The same password again</label>
          <input
            type="password"
            id="repeatPassword"
            name="repeatPassword"
            autoComplete="new-password"
            required
            {...(errors?.fields.repeatPassword && {
              'aria-invalid': true,
              'aria-describedby': 'repeat-error',
            })}
          />
          {errors?.fields.repeatPassword && (
            <p className="field-error" id="repeat-error">
              {errors.fields.repeatPassword}
            </p>
          )}
        </div>
        <button type="submit">Set my password</button>
      </Form>
    </>
  );
}
