import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { CsrfField } from '~/components/admin/csrf-field';
import { Field } from '~/components/admin/field';
import { formatInstant } from '~/components/admin/format';
import { FormProblem } from '~/components/admin/form-problem';
import { CHANGE_CONTACTS, READ_CONTACTS } from '~/server/admin/contacts/contact-powers.server';
import { loadContactPage } from '~/server/admin/contacts/load-contact-page.server';
import { submitContactAction } from '~/server/admin/contacts/submit-contact-action.server';
import { can, requireAdminFormWith, requireAdminWith } from '~/server/admin/require-admin.server';

export const meta: MetaFunction = () => [{ title: 'Contact: Herald console' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, READ_CONTACTS);
  const page = await loadContactPage(admin, params.id ?? '');
  const done = new URL(request.url).searchParams.get('done');
  return { ...page, done, canChange: can(admin, CHANGE_CONTACTS) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { admin, form } = await requireAdminFormWith(request, CHANGE_CONTACTS);
  const outcome = await submitContactAction(admin, params.id ?? '', form);
  // Post/redirect/get: reloading the page repeats nothing.
  if (outcome.kind === 'done') return redirect(outcome.redirectTo, 303);
  return data(outcome, { status: 422 });
}

const DONE: Record<string, string> = {
  preferences: 'The preferences were saved, with your reason, in the contact’s consent log.',
  unsuppressed: 'The address may be mailed again; your reason is in the consent log.',
};

/** What each suppression means for the mail the address still gets. */
const SUPPRESSED: Record<string, string> = {
  'hard-bounce': 'no mail at all',
  complaint: 'no promotional mail',
  'soft-bounce-limit': 'no mail at all',
  manual: 'no mail at all',
  erasure: 'no promotional mail without new consent',
};

export default function ContactPage() {
  const page = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const { contact, preferences } = page;
  const failed = outcome?.kind === 'invalid' ? outcome : undefined;
  const errorsFor = (intent: string) => (failed?.intent === intent ? failed.errors : undefined);
  const prefErrors = errorsFor('preferences');
  const liftErrors = errorsFor('unsuppress');
  const eraseErrors = errorsFor('erase');
  const liftable = page.suppressions.filter((row) => row.reason !== 'erasure');

  return (
    <>
      <p>
        <Link to="/admin/contacts">All contacts</Link>
      </p>
      <div className="page-head">
        <h1>{contact.email}</h1>
        <a className="button-link" href={`/admin/contacts/${contact.id}/export`} download>
          Export JSON
        </a>
      </div>
      {page.done && DONE[page.done] && (
        <p role="status" className="notice">
          {DONE[page.done]}
        </p>
      )}
      <dl className="detail-list">
        <dt>Name</dt>
        <dd>{contact.name ?? '—'}</dd>
        <dt>External id</dt>
        <dd>{contact.externalId ? <code>{contact.externalId}</code> : '—'}</dd>
        <dt>Locale</dt>
        <dd>{contact.locale}</dd>
        <dt>Time zone</dt>
        <dd>{contact.timezone}</dd>
        <dt>Added</dt>
        <dd>{formatInstant(contact.createdAt)}</dd>
      </dl>

      <Form method="post" className="panel" aria-labelledby="preferences-heading" id="preferences">
        <h2 id="preferences-heading">Preferences</h2>
        <p className="muted">As the contact sees them in their preference center.</p>
        {page.canChange && <CsrfField />}
        <FormProblem errors={prefErrors} />
        <fieldset>
          <legend>About their account (transactional)</legend>
          {preferences.categories
            .filter((category) => category.class === 'transactional')
            .map((category) => (
              <CategoryBox key={category.key} category={category} disabled={!page.canChange} />
            ))}
        </fieldset>
        <fieldset>
          <legend>Marketing (promotional)</legend>
          <div className="choice">
            <input
              type="checkbox"
              id="allPromotional"
              name="allPromotional"
              defaultChecked={preferences.allPromotional.subscribed}
              disabled={!page.canChange}
            />
            <label htmlFor="allPromotional">All marketing email</label>
          </div>
          {preferences.categories
            .filter((category) => category.class === 'promotional')
            .map((category) => (
              <CategoryBox key={category.key} category={category} disabled={!page.canChange} />
            ))}
        </fieldset>
        {page.canChange && (
          <>
            <Field
              id="preferences-reason"
              label="Why (required)"
              hint="Kept in the consent log with your name. For example: “Asked by phone to stop the newsletter.”"
              error={prefErrors?.fields['preferences-reason']}
            >
              {(control) => (
                <textarea
                  name="reason"
                  className="prose"
                  rows={3}
                  required
                  minLength={3}
                  maxLength={1000}
                  defaultValue={failed?.intent === 'preferences' ? failed.values.reason : ''}
                  {...control}
                />
              )}
            </Field>
            <button type="submit" name="intent" value="preferences">
              Save the preferences
            </button>
          </>
        )}
      </Form>

      <section className="panel" aria-labelledby="consent-heading">
        <h2 id="consent-heading">Consent history</h2>
        {page.consentLog.length === 0 ? (
          <p>Nothing recorded yet: the category defaults apply.</p>
        ) : (
          <div className="table-scroll" role="region" aria-labelledby="consent-heading" tabIndex={0}>
            <table className="admin-table" data-testid="consent-log">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">What</th>
                  <th scope="col">Source</th>
                  <th scope="col">From</th>
                  <th scope="col">Who</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {page.consentLog.map((entry) => (
                  <tr key={entry.id}>
                    <td>
                      <time dateTime={entry.occurredAt}>{formatInstant(entry.occurredAt)}</time>
                    </td>
                    <td>
                      {entry.action} {entry.scope}
                    </td>
                    <td>{entry.source}</td>
                    <td>
                      {entry.campaignId ? (
                        <Link to={`/admin/campaigns/${entry.campaignId}`}>campaign</Link>
                      ) : entry.messageId ? (
                        <>
                          message <code>{entry.messageId.slice(0, 8)}</code>
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td>{entry.actor ?? '—'}</td>
                    <td>{entry.reason ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="messages-heading">
        <h2 id="messages-heading">Latest messages</h2>
        {page.messages.length === 0 ? (
          <p>No message yet.</p>
        ) : (
          <div className="table-scroll" role="region" aria-labelledby="messages-heading" tabIndex={0}>
            <table className="admin-table" data-testid="messages">
              <thead>
                <tr>
                  <th scope="col">Created</th>
                  <th scope="col">Template</th>
                  <th scope="col">Status</th>
                  <th scope="col">Events</th>
                </tr>
              </thead>
              <tbody>
                {page.messages.map((message) => (
                  <tr key={message.id}>
                    <td>{formatInstant(message.createdAt)}</td>
                    <td>
                      {message.template ?? message.category}
                      <br />
                      <span className="muted">{message.class}</span>
                    </td>
                    <td>
                      {message.status}
                      {message.reason && <span className="muted"> ({message.reason})</span>}
                    </td>
                    <td>
                      {(message.events ?? []).length === 0
                        ? '—'
                        : (message.events ?? []).map((event, index) => (
                            <span key={`${event.type}-${index}`}>
                              {index > 0 && <br />}
                              {event.type} <span className="muted">{formatInstant(event.at)}</span>
                            </span>
                          ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {page.notices && (
        <section className="panel" aria-labelledby="notices-heading">
          <h2 id="notices-heading">Notices</h2>
          {page.notices.length === 0 ? (
            <p>No in-app notice.</p>
          ) : (
            <div className="table-scroll" role="region" aria-labelledby="notices-heading" tabIndex={0}>
              <table className="admin-table" data-testid="notices">
                <thead>
                  <tr>
                    <th scope="col">Policy</th>
                    <th scope="col">Posted</th>
                    <th scope="col">Acknowledged</th>
                    <th scope="col">Email</th>
                  </tr>
                </thead>
                <tbody>
                  {page.notices.map((notice) => (
                    <tr key={notice.id}>
                      <td>
                        {notice.policy.title}, version {notice.policy.version}
                      </td>
                      <td>{formatInstant(notice.postedAt)}</td>
                      <td>{notice.acknowledgedAt ? formatInstant(notice.acknowledgedAt) : 'not yet'}</td>
                      <td>{notice.email ? notice.email.status : 'in-app only'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}

      <section className="panel" aria-labelledby="suppression-heading">
        <h2 id="suppression-heading">Suppression</h2>
        {page.suppressions.length === 0 ? (
          <p>The address is not suppressed.</p>
        ) : (
          <ul data-testid="suppressions">
            {page.suppressions.map((row) => (
              <li key={row.id}>
                {row.reason}: {SUPPRESSED[row.reason] ?? 'no mail'}, since {formatInstant(row.createdAt)}
                {row.detail && ` (${row.detail})`}
              </li>
            ))}
          </ul>
        )}
        {page.canChange && liftable.length > 0 && (
          <Form method="post" aria-labelledby="unsuppress-heading">
            <h3 id="unsuppress-heading">Unsuppress</h3>
            <CsrfField />
            <FormProblem errors={liftErrors} />
            <Field
              id="unsuppress-why"
              label="Why the address may be mailed again (required)"
              hint="Kept in the consent log with your name."
              error={liftErrors?.fields['unsuppress-why']}
            >
              {(control) => (
                <textarea
                  name="why"
                  className="prose"
                  rows={3}
                  required
                  minLength={3}
                  maxLength={1000}
                  defaultValue={failed?.intent === 'unsuppress' ? failed.values.why : ''}
                  {...control}
                />
              )}
            </Field>
            <button type="submit" name="intent" value="unsuppress">
              Unsuppress
            </button>
          </Form>
        )}
      </section>

      {page.canChange && (
        <Form method="post" className="panel" aria-labelledby="erase-heading">
          <h2 id="erase-heading">Erase this contact</h2>
          <p className="muted">
            Removes the address, name, attributes, preferences and message data for good. The consent log
            keeps its entries without client details, and the address stays suppressed by its hash. This
            cannot be undone.
          </p>
          <CsrfField />
          <FormProblem errors={eraseErrors} />
          <Field
            id="erase-confirm"
            label={`Type ${contact.email} to confirm`}
            error={eraseErrors?.fields['erase-confirm']}
          >
            {(control) => (
              <input
                type="text"
                name="confirm"
                required
                autoComplete="off"
                spellCheck={false}
                defaultValue={failed?.intent === 'erase' ? failed.values.confirm : ''}
                {...control}
              />
            )}
          </Field>
          <button type="submit" name="intent" value="erase">
            Erase the contact
          </button>
        </Form>
      )}
    </>
  );
}

function CategoryBox({
  category,
  disabled,
}: {
  category: { key: string; name: string; description: string; subscribed: boolean; locked: boolean };
  disabled: boolean;
}) {
  const id = `category-${category.key}`;
  return (
    <div className="choice">
      <input
        type="checkbox"
        id={id}
        name="subscribed"
        value={category.key}
        defaultChecked={category.subscribed}
        disabled={disabled || category.locked}
        aria-describedby={`${id}-hint`}
      />
      <label htmlFor={id}>{category.name}</label>
      <p id={`${id}-hint`} className="hint">
        {category.description}
        {category.locked && ' Required: it cannot be turned off.'}
      </p>
    </div>
  );
}
