import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { Field } from '~/components/admin/field';
import { formatInstant } from '~/components/admin/format';
import { READ_CONTACTS } from '~/server/admin/contacts/contact-powers.server';
import { loadContactSearch, readSearchQuery } from '~/server/admin/contacts/load-contact-search.server';
import { requireAdminWith } from '~/server/admin/require-admin.server';

export const meta: MetaFunction = () => [{ title: 'Contacts: Herald console' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, READ_CONTACTS);
  const url = new URL(request.url);
  const query = readSearchQuery(url);
  const { result, problem } = await loadContactSearch(admin, query);
  return { query, result, problem, erased: url.searchParams.get('erased') !== null };
}

export default function Contacts() {
  const { query, result, problem, erased } = useLoaderData<typeof loader>();
  const pageLink = (cursor: string) => {
    const params = new URLSearchParams();
    if (query.q) params.set('q', query.q);
    if (cursor) params.set('cursor', cursor);
    return `/admin/contacts?${params}`;
  };

  return (
    <>
      <h1>Contacts</h1>
      <p>
        Find a person by the start of their address, their external id or the start of their name, to see what
        they receive, record a change they asked for, export or erase what Herald holds about them.
      </p>
      {erased && (
        <p role="status" className="notice">
          The contact was erased: their address, name and data are gone, and the address stays suppressed by
          its hash.
        </p>
      )}
      <section className="panel" aria-labelledby="search-heading">
        <h2 id="search-heading">Search</h2>
        <Form method="get" className="inline-fields" aria-label="Search contacts">
          <Field
            id="q"
            label="Address, external id or name"
            hint="For example “ada@”, “crm-1042” or “Lovelace”."
            error={problem ?? undefined}
          >
            {(control) => (
              <input
                type="search"
                name="q"
                defaultValue={query.q}
                autoComplete="off"
                maxLength={254}
                {...control}
              />
            )}
          </Field>
          <div className="field field-button">
            <button type="submit" className="secondary">
              Search
            </button>
          </div>
        </Form>
        {result.contacts.length === 0 ? (
          <p>{query.q ? 'No contact matches.' : 'There are no contacts yet.'}</p>
        ) : (
          <div className="table-scroll" role="region" aria-labelledby="search-heading" tabIndex={0}>
            <table className="admin-table" data-testid="contacts">
              <thead>
                <tr>
                  <th scope="col">Address</th>
                  <th scope="col">Name</th>
                  <th scope="col">External id</th>
                  <th scope="col">Locale</th>
                  <th scope="col">Added</th>
                </tr>
              </thead>
              <tbody>
                {result.contacts.map((contact) => (
                  <tr key={contact.id}>
                    <td className="address">
                      {contact.erasedAt ? (
                        <span className="muted">erased {formatInstant(contact.erasedAt)}</span>
                      ) : (
                        <Link to={`/admin/contacts/${contact.id}`}>
                          {contact.email ?? `(no address) ${contact.id}`}
                        </Link>
                      )}
                    </td>
                    <td>{contact.name ?? '—'}</td>
                    <td>{contact.externalId ? <code>{contact.externalId}</code> : '—'}</td>
                    <td>{contact.locale}</td>
                    <td>{formatInstant(contact.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {(result.next || query.cursor) && (
          <p className="actions">
            {query.cursor && <Link to={pageLink('')}>First page</Link>}
            {result.next && <Link to={pageLink(result.next)}>Next page</Link>}
          </p>
        )}
      </section>
      <section className="panel" aria-labelledby="exports-heading">
        <h2 id="exports-heading">Exports</h2>
        <p>
          CSV files, streamed however many rows there are; each export is in the audit log with your name.
        </p>
        <p className="actions">
          <a href="/admin/exports/contacts" download>
            Every contact with their consent now
          </a>
        </p>
        <Form
          method="get"
          action="/admin/exports/consent-log"
          reloadDocument
          className="inline-fields"
          aria-label="Export the consent log"
        >
          <Field id="export-from" label="Consent log from (UTC)">
            {(control) => <input type="date" name="from" required {...control} />}
          </Field>
          <Field id="export-to" label="To (UTC, inclusive)">
            {(control) => <input type="date" name="to" required {...control} />}
          </Field>
          <div className="field field-button">
            <button type="submit" className="secondary">
              Download the consent log
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}
