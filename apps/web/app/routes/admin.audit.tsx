import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import type { AuditLogEntryView } from '@herald/contract';
import { Field } from '~/components/admin/field';
import { formatInstant } from '~/components/admin/format';
import { callApiAs } from '~/server/admin/api-client.server';
import { apiAuditQuery, readAuditQuery } from '~/server/admin/audit/audit-query.server';
import { requireAdminWith } from '~/server/admin/require-admin.server';

export const meta: MetaFunction = () => [{ title: 'Audit log: Herald console' }];

const PAGE = 50;

/**
 * Who changed what, newest first, with filters. A filter the API refuses (a date it cannot read) is
 * shown beside the form and the page stays usable.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, { scope: 'audit', change: false });
  const query = readAuditQuery(new URL(request.url));
  const result = await callApiAs<{ entries: AuditLogEntryView[]; next: string | null }>(
    admin,
    'GET',
    `/v1/audit-log?${apiAuditQuery(query, { limit: String(PAGE) })}`,
  );
  return {
    query,
    entries: result.ok ? result.body.entries : [],
    next: result.ok ? result.body.next : null,
    problem: result.ok ? null : result.problem,
    csv: `/admin/audit/csv?${apiAuditQuery({ ...query, before: '' })}`,
  };
}

export default function AuditLog() {
  const { query, entries, next, problem, csv } = useLoaderData<typeof loader>();
  const fieldError = (name: string) =>
    problem && JSON.stringify(problem.details ?? '').includes(`"${name}"`) ? problem.message : undefined;
  const pageLink = (before: string) => `?${new URLSearchParams({ ...query, before })}`;
  return (
    <>
      <h1>Audit log</h1>
      <p>
        Every change a person or an API key made through the console or the API: campaigns, policies,
        templates, preferences changed for someone, erasures and exports, suppressions, accounts and keys.
        Rows are written with the change itself and are never edited or removed.
      </p>
      <section className="panel" aria-labelledby="filters-heading">
        <h2 id="filters-heading">Filters</h2>
        <Form method="get" className="inline-fields" aria-label="Filter the audit log">
          <Field id="actor" label="Who" hint="admin:ada@example.com, key:billing, or a start: admin:">
            {(control) => (
              <input type="search" name="actor" defaultValue={query.actor} autoComplete="off" {...control} />
            )}
          </Field>
          <Field id="action" label="Action" hint="campaign.scheduled, or a family: campaign.">
            {(control) => (
              <input
                type="search"
                name="action"
                defaultValue={query.action}
                autoComplete="off"
                {...control}
              />
            )}
          </Field>
          <Field id="targetType" label="Target type" hint="campaign, policy, contact, template, …">
            {(control) => (
              <input type="search" name="targetType" defaultValue={query.targetType} {...control} />
            )}
          </Field>
          <Field id="targetId" label="Target id">
            {(control) => <input type="search" name="targetId" defaultValue={query.targetId} {...control} />}
          </Field>
          <Field id="from" label="From (UTC)" error={fieldError('from')}>
            {(control) => <input type="date" name="from" defaultValue={query.from} {...control} />}
          </Field>
          <Field id="to" label="To (UTC, inclusive)" error={fieldError('to')}>
            {(control) => <input type="date" name="to" defaultValue={query.to} {...control} />}
          </Field>
          <div className="field field-button">
            <button type="submit" className="secondary">
              Filter
            </button>
          </div>
        </Form>
        {problem && !fieldError('from') && !fieldError('to') && (
          <p className="field-error" role="alert">
            {problem.message}
          </p>
        )}
        <p className="actions">
          <a href={csv} download>
            Download these rows as CSV
          </a>
        </p>
      </section>
      <section className="panel" aria-labelledby="rows-heading">
        <h2 id="rows-heading">Changes</h2>
        {entries.length === 0 ? (
          <p>No change matches.</p>
        ) : (
          <div className="table-scroll" role="region" aria-labelledby="rows-heading" tabIndex={0}>
            <table className="admin-table" data-testid="audit-log">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Action</th>
                  <th scope="col">Target</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((entry) => (
                  <tr key={entry.id}>
                    <td>
                      <time dateTime={entry.occurredAt}>{formatInstant(entry.occurredAt)}</time>
                    </td>
                    <td>{entry.actor}</td>
                    <td>{entry.action}</td>
                    <td>{entry.targetType ? `${entry.targetType} ${entry.targetId ?? ''}` : ''}</td>
                    <td>{entry.reason ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {(next || query.before) && (
          <p className="actions">
            {query.before && <Link to={pageLink('')}>Newest</Link>}
            {next && <Link to={pageLink(next)}>Older</Link>}
          </p>
        )}
      </section>
    </>
  );
}
