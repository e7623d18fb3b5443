import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { type ApiKeyView, type CreatedApiKey, SCOPE_DESCRIPTIONS, SCOPES } from '@herald/contract';
import { CsrfField } from '~/components/admin/csrf-field';
import { Field } from '~/components/admin/field';
import { formatInstant } from '~/components/admin/format';
import { FormProblem } from '~/components/admin/form-problem';
import { callApiAs, readApiAs } from '~/server/admin/api-client.server';
import { formErrors, type FormErrors } from '~/server/admin/form-errors.server';
import { requireAdminFormWith, requireAdminWith } from '~/server/admin/require-admin.server';

export const meta: MetaFunction = () => [{ title: 'API keys: Herald console' }];

/** Owners only, as the API's key routes (scope admin). */
const OWNER = { scope: 'admin', change: true } as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, OWNER);
  const { apiKeys } = await readApiAs<{ apiKeys: ApiKeyView[] }>(admin, '/v1/api-keys');
  return { apiKeys, revoked: new URL(request.url).searchParams.get('done') === 'revoked' };
}

type Outcome =
  | { kind: 'created'; key: CreatedApiKey }
  | { kind: 'invalid'; errors: FormErrors; values: { name: string; scopes: string[] } };

/**
 * Creating answers with the page and the new key on it, once (it is not stored, so a reload cannot
 * show it again); revoking is post/redirect/get. The API writes both to the audit log as this owner.
 */
export async function action({ request }: ActionFunctionArgs) {
  const { admin, form } = await requireAdminFormWith(request, OWNER);
  if (form.get('intent') === 'revoke') {
    const id = String(form.get('id') ?? '');
    const result = await callApiAs(admin, 'DELETE', `/v1/api-keys/${encodeURIComponent(id)}`);
    if (!result.ok) throw data(null, { status: result.problem.status === 404 ? 404 : 400 });
    return redirect('/admin/keys?done=revoked', 303);
  }
  const values = { name: String(form.get('name') ?? ''), scopes: form.getAll('scopes').map(String) };
  const result = await callApiAs<CreatedApiKey>(admin, 'POST', '/v1/api-keys', values);
  if (result.ok) return data<Outcome>({ kind: 'created', key: result.body }, { status: 201 });
  const errors = formErrors(result.problem, { byPath: { name: 'name', scopes: 'scopes' } });
  return data<Outcome>({ kind: 'invalid', errors, values }, { status: 422 });
}

export default function ApiKeys() {
  const { apiKeys, revoked } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const invalid = outcome?.kind === 'invalid' ? outcome : undefined;
  return (
    <>
      <h1>API keys</h1>
      <p>
        Keys for the programs that call Herald&rsquo;s API. Each has only the scopes it is given; only a hash
        of it is kept, so it is shown once, when it is made.
      </p>
      {revoked && (
        <p role="status" className="notice">
          The key was revoked: the API refuses it from now on.
        </p>
      )}
      {outcome?.kind === 'created' && (
        <section className="panel" aria-labelledby="new-key-heading" role="status">
          <h2 id="new-key-heading">The new key for {outcome.key.name}</h2>
          <p>Copy it now: it will not be shown again.</p>
          <p>
            <code data-testid="new-key">{outcome.key.key}</code>
          </p>
        </section>
      )}
      <section className="panel" aria-labelledby="keys-heading">
        <h2 id="keys-heading">Keys</h2>
        {apiKeys.length === 0 ? (
          <p>No key yet.</p>
        ) : (
          <div className="table-scroll" role="region" aria-labelledby="keys-heading" tabIndex={0}>
            <table className="admin-table" data-testid="api-keys">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Starts with</th>
                  <th scope="col">Scopes</th>
                  <th scope="col">Last used</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {apiKeys.map((key) => (
                  <tr key={key.id}>
                    <td>{key.name}</td>
                    <td>
                      <code>{key.prefix}</code>
                    </td>
                    <td>{key.scopes.join(', ')}</td>
                    <td>{key.lastUsedAt ? formatInstant(key.lastUsedAt) : 'never'}</td>
                    <td>
                      {key.revokedAt ? (
                        `revoked ${formatInstant(key.revokedAt)}`
                      ) : (
                        <Form method="post">
                          <CsrfField />
                          <input type="hidden" name="id" value={key.id} />
                          <button type="submit" name="intent" value="revoke" className="secondary">
                            Revoke {key.name}
                          </button>
                        </Form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <Form method="post" className="panel" aria-labelledby="create-heading">
        <h2 id="create-heading">Create a key</h2>
        <CsrfField />
        <FormProblem errors={invalid?.errors} />
        <Field
          id="key-name"
          label="Name"
          hint="Who holds it: billing-service"
          error={invalid?.errors.fields.name}
        >
          {(control) => (
            <input
              type="text"
              name="name"
              required
              maxLength={100}
              defaultValue={invalid?.values.name}
              {...control}
            />
          )}
        </Field>
        <fieldset className="field">
          <legend>Scopes</legend>
          {invalid?.errors.fields.scopes && <p className="field-error">{invalid.errors.fields.scopes}</p>}
          {SCOPES.map((scope) => (
            <div key={scope} className="checkbox">
              <input
                type="checkbox"
                id={`scope-${scope}`}
                name="scopes"
                value={scope}
                defaultChecked={invalid?.values.scopes.includes(scope)}
              />
              <label htmlFor={`scope-${scope}`}>
                <code>{scope}</code>: {SCOPE_DESCRIPTIONS[scope]}
              </label>
            </div>
          ))}
        </fieldset>
        <button type="submit" name="intent" value="create">
          Create the key
        </button>
      </Form>
    </>
  );
}
