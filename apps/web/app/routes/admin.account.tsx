import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { MIN_PASSWORD_LENGTH } from '@herald/passwords';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { CsrfField } from '~/components/admin/csrf-field';
import { Field } from '~/components/admin/field';
import { formatInstant } from '~/components/admin/format';
import { FormProblem } from '~/components/admin/form-problem';
import { changePassword } from '~/server/admin/account/change-password.server';
import { signOutEverywhere } from '~/server/admin/account/sign-out-everywhere.server';
import { clearAdminCookie } from '~/server/admin/admin-session.server';
import { listLiveSessions } from '~/server/admin/console-sessions.server';
import { requireAdmin, requireAdminForm } from '~/server/admin/require-admin.server';
import type { FormErrors } from '~/server/admin/form-errors.server';
import { describeClient } from '~/server/client.server';

export const meta: MetaFunction = () => [{ title: 'Your account: Herald console' }];

/** The signed-in person's own account: where they are signed in, their password, signing out everywhere. */
export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAdmin(request);
  const sessions = await listLiveSessions(admin.id);
  const url = new URL(request.url);
  return {
    email: admin.email,
    sessions: sessions.map((session) => ({
      id: session.id,
      createdAt: session.createdAt.toISOString(),
      lastSeenAt: session.lastSeenAt.toISOString(),
      userAgent: session.userAgent,
      current: session.id === admin.session.id,
    })),
    minLength: MIN_PASSWORD_LENGTH,
    changed: url.searchParams.get('done') === 'password',
    ended: Number(url.searchParams.get('ended')) || 0,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { admin, form } = await requireAdminForm(request);
  const signedOut = async () =>
    redirect('/admin/sign-in', { status: 303, headers: { 'Set-Cookie': await clearAdminCookie() } });

  if (form.get('intent') === 'sign-out-everywhere') {
    await signOutEverywhere(admin);
    return signedOut();
  }
  if (form.get('intent') === 'change-password') {
    const outcome = await changePassword(admin, form, describeClient(request, context));
    if (outcome.kind === 'signed-out') return signedOut();
    if (outcome.kind === 'changed') {
      return redirect(`/admin/account?done=password&ended=${outcome.otherSessionsEnded}`, 303);
    }
    return data(outcome.errors, {
      status: outcome.status,
      ...(outcome.status === 429 && { headers: { 'Retry-After': '900' } }),
    });
  }
  const unknown: FormErrors = { fields: {}, form: 'Unknown action.' };
  return data(unknown, { status: 400 });
}

export default function Account() {
  const { email, sessions, minLength, changed, ended } = useLoaderData<typeof loader>();
  const errors = useActionData<typeof action>();
  return (
    <>
      <h1>Your account</h1>
      <p>
        Signed in as <strong>{email}</strong>.
      </p>
      {changed && (
        <p role="status" className="notice">
          Your password was changed.{' '}
          {ended === 0
            ? 'You had no other sessions.'
            : `${ended} other session${ended === 1 ? ' was' : 's were'} signed out.`}{' '}
          This browser stays signed in.
        </p>
      )}

      <section className="panel" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Where you are signed in</h2>
        <div className="table-scroll" role="region" aria-labelledby="sessions-heading" tabIndex={0}>
          <table className="admin-table" data-testid="sessions">
            <thead>
              <tr>
                <th scope="col">Browser</th>
                <th scope="col">Signed in</th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((session) => (
                <tr key={session.id}>
                  <td>
                    {session.userAgent ?? 'unknown browser'}
                    {session.current && (
                      <>
                        <br />
                        <strong>This browser</strong>
                      </>
                    )}
                  </td>
                  <td>{formatInstant(session.createdAt)}</td>
                  <td>{formatInstant(session.lastSeenAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <Form method="post" className="panel" aria-labelledby="password-heading">
        <h2 id="password-heading">Change your password</h2>
        <p className="muted">
          Every other session of your account is signed out; this browser stays signed in.
        </p>
        <CsrfField />
        <FormProblem errors={errors} />
        <PasswordField
          id="current-password"
          name="currentPassword"
          label="Current password"
          autoComplete="current-password"
          error={errors?.fields.currentPassword}
        />
        <PasswordField
          id="new-password"
          name="newPassword"
          label="New password"
          hint={`At least ${minLength} characters.`}
          autoComplete="new-password"
          minLength={minLength}
          error={errors?.fields.newPassword}
        />
        <PasswordField
          id="repeat-password"
          name="repeatPassword"
          label="New password again"
          autoComplete="new-password"
          minLength={minLength}
          error={errors?.fields.repeatPassword}
        />
        <button type="submit" name="intent" value="change-password">
          Change password
        </button>
      </Form>

      <Form method="post" className="panel" aria-labelledby="everywhere-heading">
        <h2 id="everywhere-heading">Sign out everywhere</h2>
        <p className="muted">
          Ends every session of your account, this one included: for a lost laptop, or a browser you signed in
          on and no longer trust.
        </p>
        <CsrfField />
        <button type="submit" name="intent" value="sign-out-everywhere" className="secondary">
          Sign out everywhere
        </button>
      </Form>
    </>
  );
}

function PasswordField({
  name,
  autoComplete,
  minLength,
  ...field
}: {
  id: string;
  name: string;
  label: string;
  hint?: string;
  autoComplete: 'current-password' | 'new-password';
  minLength?: number;
  error: string | undefined;
}) {
  return (
    <Field {...field}>
      {(control) => (
        <input
          type="password"
          name={name}
          autoComplete={autoComplete}
          required
          {...(minLength && { minLength })}
          {...control}
        />
      )}
    </Field>
  );
}
