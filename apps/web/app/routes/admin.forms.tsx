import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import type { SubscribeFormView } from '@herald/contract';
import { CategoryCheckboxes } from '~/components/admin/category-checkboxes';
import { CsrfField } from '~/components/admin/csrf-field';
import { Field } from '~/components/admin/field';
import { formatInstant } from '~/components/admin/format';
import { FormProblem } from '~/components/admin/form-problem';
import { callApiAs, readApiAs } from '~/server/admin/api-client.server';
import { formErrors, type FormErrors } from '~/server/admin/form-errors.server';
import { requireAdminFormWith, requireAdminWith } from '~/server/admin/require-admin.server';
import { db } from '~/server/db.server';
import { formSnippet } from '~/server/forms/form-snippet.server';

export const meta: MetaFunction = () => [{ title: 'Forms: Herald console' }];

const READ = { scope: 'contacts:write', change: false } as const;
const CHANGE = { scope: 'contacts:write', change: true } as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, READ);
  const [{ forms }, categories] = await Promise.all([
    readApiAs<{ forms: SubscribeFormView[] }>(admin, '/v1/forms'),
    db.category.findMany({
      where: { class: 'promotional' },
      orderBy: { key: 'asc' },
      select: { key: true, name: true },
    }),
  ]);
  const params = new URL(request.url).searchParams;
  const created = params.get('created');
  const done = params.get('done');
  const changed = params.get('form');
  return {
    forms: forms.map((form) => ({ ...form, snippet: formSnippet(form) })),
    categories,
    created: forms.some((form) => form.key === created) ? created : null,
    done:
      (done === 'disabled' || done === 'enabled') && forms.some((form) => form.key === changed)
        ? { kind: done, key: changed as string }
        : null,
  };
}

type Values = { key: string; name: string; categories: string[]; askName: boolean; consentText: string };
type Outcome = { kind: 'invalid'; errors: FormErrors; values: Values };

/**
 * Creating, disabling and enabling are post/redirect/get; the API checks each and writes it to the
 * audit log as this person. Disabling a form that is disabled already (or enabling an open one: the
 * page was stale, or sent twice) changes nothing and shows the list as it is.
 */
export async function action({ request }: ActionFunctionArgs) {
  const { admin, form } = await requireAdminFormWith(request, CHANGE);
  const intent = String(form.get('intent') ?? '');
  if (intent === 'disable' || intent === 'enable') {
    const key = String(form.get('key') ?? '');
    const result = await callApiAs<SubscribeFormView>(
      admin,
      'POST',
      `/v1/forms/${encodeURIComponent(key)}/${intent}`,
      {},
    );
    if (!result.ok && result.problem.status !== 409)
      throw data(null, { status: result.problem.status === 404 ? 404 : 400 });
    if (!result.ok) return redirect('/admin/forms', 303);
    return redirect(`/admin/forms?done=${intent}d&form=${encodeURIComponent(key)}`, 303);
  }
  const values: Values = {
    key: String(form.get('key') ?? '').trim(),
    name: String(form.get('name') ?? ''),
    categories: form.getAll('categories').map(String),
    askName: form.get('askName') === 'yes',
    consentText: String(form.get('consentText') ?? ''),
  };
  const result = await callApiAs<SubscribeFormView>(admin, 'POST', '/v1/forms', {
    key: values.key,
    name: values.name,
    categories: values.categories,
    fields: values.askName ? ['name'] : [],
    consentText: values.consentText,
  });
  if (result.ok) return redirect(`/admin/forms?created=${encodeURIComponent(result.body.key)}`, 303);
  const errors = formErrors(result.problem, {
    byPath: { key: 'key', name: 'name', categories: 'categories', consentText: 'consentText' },
    byCode: { conflict: 'key', unknown_category: 'categories', not_promotional: 'categories' },
  });
  return data<Outcome>({ kind: 'invalid', errors, values }, { status: 422 });
}

export default function Forms() {
  const { forms, categories, created, done } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const invalid = outcome?.kind === 'invalid' ? outcome : undefined;
  return (
    <>
      <h1>Forms</h1>
      <p>
        Subscribe forms for promotional categories. Each has a hosted page and a snippet to embed on any site;
        nobody is subscribed until they confirm by email, and the consent log keeps the form and the text it
        showed.
      </p>
      {created && (
        <p role="status" className="notice">
          The form {created} was created.
        </p>
      )}
      {done && (
        <p role="status" className="notice">
          {done.kind === 'disabled'
            ? `The form ${done.key} was disabled: its page and its confirmation links no longer subscribe anyone.`
            : `The form ${done.key} was enabled again: its page takes subscriptions.`}
        </p>
      )}
      <section className="panel" aria-labelledby="forms-heading">
        <h2 id="forms-heading">Forms</h2>
        {forms.length === 0 ? (
          <p>No form yet.</p>
        ) : (
          <div className="table-scroll" role="region" aria-labelledby="forms-heading" tabIndex={0}>
            <table className="admin-table" data-testid="forms">
              <thead>
                <tr>
                  <th scope="col">Key</th>
                  <th scope="col">Name</th>
                  <th scope="col">Categories</th>
                  <th scope="col">Created</th>
                  <th scope="col">Page</th>
                  <th scope="col">Change</th>
                </tr>
              </thead>
              <tbody>
                {forms.map((form) => (
                  <tr key={form.key}>
                    <th scope="row">
                      <code>{form.key}</code>
                    </th>
                    <td>{form.name}</td>
                    <td>{form.categories.join(', ')}</td>
                    <td>{formatInstant(form.createdAt)}</td>
                    <td>
                      {form.disabledAt ? (
                        `Disabled ${formatInstant(form.disabledAt)}`
                      ) : (
                        <a href={`/subscribe/${form.key}`}>/subscribe/{form.key}</a>
                      )}
                    </td>
                    <td>
                      <Form method="post">
                        <CsrfField />
                        <input type="hidden" name="key" value={form.key} />
                        {form.disabledAt ? (
                          <button type="submit" name="intent" value="enable" className="secondary">
                            Enable {form.key}
                          </button>
                        ) : (
                          <button type="submit" name="intent" value="disable" className="secondary">
                            Disable {form.key}
                          </button>
                        )}
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {forms.map((form) => (
        <section key={form.key} className="panel" aria-labelledby={`snippet-${form.key}`}>
          <h2 id={`snippet-${form.key}`}>Embed {form.name}</h2>
          <p>Paste this HTML where the form should appear.</p>
          <pre className="text-part" data-testid={`snippet-${form.key}`}>
            <code>{form.snippet}</code>
          </pre>
        </section>
      ))}
      <Form method="post" className="panel" aria-labelledby="new-form-heading">
        <h2 id="new-form-heading">New form</h2>
        <CsrfField />
        <FormProblem errors={invalid?.errors} />
        <Field
          id="form-key"
          label="Key"
          hint="Kebab-case, in the page’s address: newsletter-footer"
          error={invalid?.errors.fields.key}
        >
          {(control) => (
            <input
              type="text"
              name="key"
              required
              maxLength={64}
              defaultValue={invalid?.values.key}
              {...control}
            />
          )}
        </Field>
        <Field id="form-name" label="Name" hint="The page’s heading" error={invalid?.errors.fields.name}>
          {(control) => (
            <input
              type="text"
              name="name"
              required
              maxLength={200}
              defaultValue={invalid?.values.name}
              {...control}
            />
          )}
        </Field>
        <fieldset className="field">
          <legend>Categories</legend>
          {invalid?.errors.fields.categories && (
            <p className="field-error">{invalid.errors.fields.categories}</p>
          )}
          <CategoryCheckboxes categories={categories} checked={invalid?.values.categories} />
        </fieldset>
        <div className="checkbox">
          <input
            type="checkbox"
            id="form-ask-name"
            name="askName"
            value="yes"
            defaultChecked={invalid?.values.askName}
          />
          <label htmlFor="form-ask-name">Ask for a name (optional for the person)</label>
        </div>
        <Field
          id="form-consent-text"
          label="Consent text"
          hint="What the person agrees to, shown on the form and kept with each confirmation."
          error={invalid?.errors.fields.consentText}
        >
          {(control) => (
            <textarea
              name="consentText"
              required
              maxLength={2000}
              rows={3}
              defaultValue={invalid?.values.consentText}
              {...control}
            />
          )}
        </Field>
        <button type="submit">Create the form</button>
      </Form>
    </>
  );
}
