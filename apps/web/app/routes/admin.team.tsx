import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { ADMIN_ROLES, ROLE_POWERS } from '@herald/contract';
import { CsrfField } from '~/components/admin/csrf-field';
import { Field } from '~/components/admin/field';
import { formatInstant } from '~/components/admin/format';
import { FormProblem } from '~/components/admin/form-problem';
import { requireAdminFormWith, requireAdminWith } from '~/server/admin/require-admin.server';
import { INVITATION_HOURS, loadTeam, submitTeamAction } from '~/server/admin/team/team.server';

export const meta: MetaFunction = () => [{ title: 'Team: Herald console' }];

/** Owners only: the accounts, their roles, and invitations. */
const OWNER = { scope: 'admin', change: true } as const;

const DONE: Record<string, string> = {
  invited: 'The invitation is on its way. Its link works once.',
  revoked: 'The invitation was revoked: its link no longer works.',
  role: 'The role was changed. It applies from the person’s next click.',
  deactivated: 'The account was deactivated and signed out everywhere.',
  reactivated: 'The account was reactivated. Its old sessions stay ended.',
};

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, OWNER);
  const done = new URL(request.url).searchParams.get('done') ?? '';
  return { ...(await loadTeam()), me: admin.id, done: DONE[done] ?? null, hours: INVITATION_HOURS };
}

export async function action({ request }: ActionFunctionArgs) {
  const { admin, form } = await requireAdminFormWith(request, OWNER);
  const outcome = await submitTeamAction(admin, form);
  if (outcome.kind === 'done') return redirect(outcome.redirectTo, 303);
  return data(outcome, { status: outcome.status });
}

export default function Team() {
  const { accounts, invitations, me, done, hours } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const inviteErrors = outcome?.intent === 'invite' ? outcome.errors : undefined;
  const rowErrors = outcome && outcome.intent !== 'invite' ? outcome.errors : undefined;
  return (
    <>
      <h1>Team</h1>
      <p>
        Who can use this console, and with what role. Each role can do only its own part, and the server
        checks it on every page and every change:
      </p>
      <ul>
        {ADMIN_ROLES.map((role) => (
          <li key={role}>
            <strong>{role}</strong>: {ROLE_POWERS[role].description}
          </li>
        ))}
      </ul>
      {done && (
        <p role="status" className="notice">
          {done}
        </p>
      )}
      <FormProblem errors={rowErrors} />

      <section className="panel" aria-labelledby="accounts-heading">
        <h2 id="accounts-heading">Accounts</h2>
        <div className="table-scroll" role="region" aria-labelledby="accounts-heading" tabIndex={0}>
          <table className="admin-table" data-testid="accounts">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Last sign-in</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((account) => (
                <tr key={account.id}>
                  <td>
                    {account.email}
                    {account.id === me && ' (you)'}
                  </td>
                  <td>
                    <Form method="post" className="inline-fields">
                      <CsrfField />
                      <input type="hidden" name="id" value={account.id} />
                      <label className="visually-hidden" htmlFor={`role-${account.id}`}>
                        Role of {account.email}
                      </label>
                      <select id={`role-${account.id}`} name="role" defaultValue={account.role}>
                        {ADMIN_ROLES.map((role) => (
                          <option key={role} value={role}>
                            {role}
                          </option>
                        ))}
                      </select>
                      <button type="submit" name="intent" value="role" className="secondary">
                        Change role
                      </button>
                    </Form>
                  </td>
                  <td>{account.lastSignInAt ? formatInstant(account.lastSignInAt) : 'never'}</td>
                  <td>
                    <Form method="post">
                      <CsrfField />
                      <input type="hidden" name="id" value={account.id} />
                      {account.deactivatedAt ? (
                        <>
                          <span className="muted">Deactivated {formatInstant(account.deactivatedAt)} </span>
                          <button type="submit" name="intent" value="reactivate" className="secondary">
                            Reactivate
                          </button>
                        </>
                      ) : (
                        <button type="submit" name="intent" value="deactivate" className="secondary">
                          Deactivate
                        </button>
                      )}
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <Form method="post" className="panel" aria-labelledby="invite-heading">
        <h2 id="invite-heading">Invite a person</h2>
        <p className="muted">
          They get an email with a link to set their password. The link works once, for {hours} hours; a new
          invitation to the same address replaces the old one.
        </p>
        <CsrfField />
        <FormProblem errors={inviteErrors} />
        <Field id="invite-email" label="Email address" error={inviteErrors?.fields.email}>
          {(control) => (
            <input
              type="email"
              name="email"
              required
              autoComplete="off"
              defaultValue={outcome?.intent === 'invite' ? outcome.values?.email : ''}
              {...control}
            />
          )}
        </Field>
        <Field id="invite-role" label="Role" error={inviteErrors?.fields.role}>
          {(control) => (
            <select
              name="role"
              defaultValue={(outcome?.intent === 'invite' && outcome.values?.role) || 'viewer'}
              {...control}
            >
              {ADMIN_ROLES.map((role) => (
                <option key={role} value={role}>
                  {role}: {ROLE_POWERS[role].description}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" name="intent" value="invite">
          Send the invitation
        </button>
      </Form>

      <section className="panel" aria-labelledby="invitations-heading">
        <h2 id="invitations-heading">Open invitations</h2>
        {invitations.length === 0 ? (
          <p>None.</p>
        ) : (
          <ul>
            {invitations.map((invitation) => (
              <li key={invitation.id}>
                <Form method="post" className="inline-fields">
                  <span>
                    {invitation.email} as {invitation.role}, by {invitation.invitedBy}, until{' '}
                    {formatInstant(invitation.expiresAt)}
                  </span>
                  <CsrfField />
                  <input type="hidden" name="id" value={invitation.id} />
                  <button type="submit" name="intent" value="revoke-invitation" className="secondary">
                    Revoke
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
