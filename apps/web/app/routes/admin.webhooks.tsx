import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import {
  type CreatedWebhookEndpoint,
  IdSchema,
  WEBHOOK_EVENTS,
  type WebhookDeliveryView,
  type WebhookEndpointView,
} from '@herald/contract';
import { CsrfField } from '~/components/admin/csrf-field';
import { Field } from '~/components/admin/field';
import { formatInstant } from '~/components/admin/format';
import { FormProblem } from '~/components/admin/form-problem';
import { callApiAs, readApiAs } from '~/server/admin/api-client.server';
import { formErrors, type FormErrors } from '~/server/admin/form-errors.server';
import { requireAdminFormWith, requireAdminWith } from '~/server/admin/require-admin.server';

export const meta: MetaFunction = () => [{ title: 'Webhooks: Herald console' }];

/** Owners only, as the API's webhook routes (scope admin). */
const OWNER = { scope: 'admin', change: true } as const;

/** The endpoints, and the delivery log of the one chosen (`?endpoint=`). */
export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, OWNER);
  const url = new URL(request.url);
  const chosen = url.searchParams.get('endpoint') ?? '';
  const { webhooks } = await readApiAs<{ webhooks: WebhookEndpointView[] }>(admin, '/v1/webhooks');
  const endpoint = IdSchema.safeParse(chosen).success
    ? (webhooks.find((item) => item.id === chosen) ?? null)
    : null;
  const deliveries = endpoint
    ? (
        await readApiAs<{ deliveries: WebhookDeliveryView[] }>(
          admin,
          `/v1/webhooks/${endpoint.id}/deliveries?limit=50`,
        )
      ).deliveries
    : [];
  return { webhooks, endpoint, deliveries, done: url.searchParams.get('done') };
}

type Outcome =
  | { kind: 'secret'; endpoint: CreatedWebhookEndpoint; rotated: boolean }
  | { kind: 'invalid'; errors: FormErrors; values: { url: string; events: string[]; description: string } };

/**
 * Creating and rotating answer with the page and the secret on it, once (only the API keeps it);
 * deleting, enabling again and sending again are post/redirect/get. The API audits each as this owner.
 */
export async function action({ request }: ActionFunctionArgs) {
  const { admin, form } = await requireAdminFormWith(request, OWNER);
  const intent = String(form.get('intent') ?? '');
  const id = String(form.get('id') ?? '');
  const path = `/v1/webhooks/${encodeURIComponent(id)}`;
  if (intent === 'rotate') {
    const result = await callApiAs<CreatedWebhookEndpoint>(admin, 'POST', `${path}/rotate-secret`, {});
    if (!result.ok) throw data(null, { status: result.problem.status === 404 ? 404 : 400 });
    return data<Outcome>({ kind: 'secret', endpoint: result.body, rotated: true });
  }
  if (intent === 'delete') {
    const result = await callApiAs(admin, 'DELETE', path);
    if (!result.ok) throw data(null, { status: result.problem.status === 404 ? 404 : 400 });
    return redirect('/admin/webhooks?done=deleted', 303);
  }
  if (intent === 'enable') {
    const result = await callApiAs(admin, 'POST', `${path}/enable`, {});
    // 409: it was enabled already (another owner, or this form sent twice): nothing changed.
    if (!result.ok && result.problem.status === 409)
      return redirect('/admin/webhooks?done=not-disabled', 303);
    if (!result.ok) throw data(null, { status: result.problem.status === 404 ? 404 : 400 });
    return redirect(`/admin/webhooks?endpoint=${encodeURIComponent(id)}&done=enabled`, 303);
  }
  if (intent === 'resend') {
    const delivery = String(form.get('delivery') ?? '');
    const result = await callApiAs(
      admin,
      'POST',
      `/v1/webhooks/deliveries/${encodeURIComponent(delivery)}/resend`,
      {},
    );
    if (!result.ok) throw data(null, { status: result.problem.status === 404 ? 404 : 400 });
    return redirect(`/admin/webhooks?endpoint=${encodeURIComponent(id)}&done=resent`, 303);
  }
  const description = String(form.get('description') ?? '').trim();
  const values = {
    url: String(form.get('url') ?? ''),
    events: form.getAll('events').map(String),
    description,
  };
  const result = await callApiAs<CreatedWebhookEndpoint>(admin, 'POST', '/v1/webhooks', {
    url: values.url,
    events: values.events,
    ...(description && { description }),
  });
  if (result.ok)
    return data<Outcome>({ kind: 'secret', endpoint: result.body, rotated: false }, { status: 201 });
  const errors = formErrors(result.problem, {
    byPath: { url: 'url', events: 'events', description: 'description' },
  });
  return data<Outcome>({ kind: 'invalid', errors, values }, { status: 422 });
}

const DONE: Record<string, string> = {
  deleted: 'The endpoint was deleted: nothing more is sent to it.',
  resent: 'The event will be sent again, with the same webhook-id.',
  enabled: 'The endpoint is enabled again: the events it missed are being sent, in order.',
  'not-disabled': 'The endpoint was not disabled: nothing changed.',
};

export default function Webhooks() {
  const { webhooks, endpoint, deliveries, done } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const invalid = outcome?.kind === 'invalid' ? outcome : undefined;
  return (
    <>
      <h1>Webhooks</h1>
      <p>
        Your application hears about every opt-out, subscription, bounce and complaint Herald records, so it
        never re-subscribes anyone. Each event is signed (Standard Webhooks), sent at least once and in order
        per contact, and retried for 24 hours before the endpoint is disabled and the owners are emailed;
        enable it again here once it answers, and the events it missed are sent.
      </p>
      {done && DONE[done] && (
        <p role="status" className="notice">
          {DONE[done]}
        </p>
      )}
      {outcome?.kind === 'secret' && (
        <section className="panel" aria-labelledby="secret-heading" role="status">
          <h2 id="secret-heading">
            {outcome.rotated ? 'The new signing secret' : 'The signing secret'} for {outcome.endpoint.url}
          </h2>
          <p>
            Copy it now: it will not be shown again.
            {outcome.rotated && ' The old secret keeps signing beside it for 24 hours.'}
          </p>
          <p>
            <code data-testid="webhook-secret">{outcome.endpoint.secret}</code>
          </p>
        </section>
      )}
      <section className="panel" aria-labelledby="endpoints-heading">
        <h2 id="endpoints-heading">Endpoints</h2>
        {webhooks.length === 0 ? (
          <p>No endpoint yet.</p>
        ) : (
          <ul data-testid="webhooks">
            {webhooks.map((item) => (
              <li key={item.id}>
                <p>
                  <strong>
                    <code>{item.url}</code>
                  </strong>{' '}
                  {item.disabledAt
                    ? `disabled ${formatInstant(item.disabledAt)}: ${item.disabledReason ?? ''}`
                    : 'active'}
                </p>
                <p className="muted">{item.events.join(', ')}</p>
                <Form method="post" className="inline-fields">
                  <CsrfField />
                  <input type="hidden" name="id" value={item.id} />
                  <Link to={`/admin/webhooks?endpoint=${item.id}`}>Delivery log</Link>
                  {item.disabledAt && (
                    <button type="submit" name="intent" value="enable">
                      Enable again
                    </button>
                  )}
                  <button type="submit" name="intent" value="rotate" className="secondary">
                    Rotate the secret
                  </button>
                  <button type="submit" name="intent" value="delete" className="secondary">
                    Delete
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </section>
      {endpoint && (
        <section className="panel" aria-labelledby="log-heading">
          <h2 id="log-heading">Delivery log of {endpoint.url}</h2>
          {deliveries.length === 0 ? (
            <p>Nothing sent yet.</p>
          ) : (
            <div className="table-scroll" role="region" aria-labelledby="log-heading" tabIndex={0}>
              <table className="admin-table" data-testid="webhook-deliveries">
                <thead>
                  <tr>
                    <th scope="col">Event</th>
                    <th scope="col">Status</th>
                    <th scope="col">Attempts</th>
                    <th scope="col">Last answer</th>
                    <th scope="col">Again</th>
                  </tr>
                </thead>
                <tbody>
                  {deliveries.map((delivery) => (
                    <tr key={delivery.id}>
                      <td>
                        {delivery.eventType}
                        <br />
                        <time dateTime={delivery.occurredAt}>{formatInstant(delivery.occurredAt)}</time>
                      </td>
                      <td>
                        {delivery.status}
                        {delivery.nextAttemptAt && delivery.status === 'pending'
                          ? `, next ${formatInstant(delivery.nextAttemptAt)}`
                          : ''}
                      </td>
                      <td>{delivery.attempts}</td>
                      <td>{delivery.lastStatusCode ?? delivery.lastError ?? ''}</td>
                      <td>
                        {delivery.status !== 'pending' && (
                          <Form method="post">
                            <CsrfField />
                            <input type="hidden" name="id" value={endpoint.id} />
                            <input type="hidden" name="delivery" value={delivery.id} />
                            <button type="submit" name="intent" value="resend" className="secondary">
                              Send again
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
      )}
      <Form method="post" className="panel" aria-labelledby="create-heading">
        <h2 id="create-heading">Add an endpoint</h2>
        <CsrfField />
        <FormProblem errors={invalid?.errors} />
        <Field id="webhook-url" label="Address (https)" error={invalid?.errors.fields.url}>
          {(control) => (
            <input type="url" name="url" required defaultValue={invalid?.values.url} {...control} />
          )}
        </Field>
        <Field id="webhook-description" label="Description" error={invalid?.errors.fields.description}>
          {(control) => (
            <input
              type="text"
              name="description"
              maxLength={500}
              defaultValue={invalid?.values.description}
              {...control}
            />
          )}
        </Field>
        <fieldset className="field">
          <legend>Events</legend>
          {invalid?.errors.fields.events && <p className="field-error">{invalid.errors.fields.events}</p>}
          {WEBHOOK_EVENTS.map((event) => (
            <div key={event}>
              <input
                type="checkbox"
                id={`event-${event}`}
                name="events"
                value={event}
                defaultChecked={invalid?.values.events.includes(event)}
              />
              <label htmlFor={`event-${event}`}>{event}</label>
            </div>
          ))}
        </fieldset>
        <button type="submit" name="intent" value="create">
          Add the endpoint
        </button>
      </Form>
    </>
  );
}
