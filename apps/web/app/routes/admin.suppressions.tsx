import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { SUPPRESSION_REASONS, type SuppressionView } from '@herald/contract';
import { CsrfField } from '~/components/admin/csrf-field';
import { FeedbackReportsTable } from '~/components/admin/feedback-reports-table';
import { Field } from '~/components/admin/field';
import { formatInstant } from '~/components/admin/format';
import { FormProblem } from '~/components/admin/form-problem';
import { RatesPanel } from '~/components/admin/rates-panel';
import { can, requireAdminFormWith, requireAdminWith } from '~/server/admin/require-admin.server';
import {
  loadSuppressionsPage,
  readPageQuery,
  type SuppressionsPageQuery,
} from '~/server/admin/suppressions/load-suppressions-page.server';
import { submitSuppressionAction } from '~/server/admin/suppressions/submit-suppression-action.server';

export const meta: MetaFunction = () => [{ title: 'Suppressions: Herald console' }];

/** What each reason means for the mail an address still gets. */
const REASONS: Record<string, string> = {
  'hard-bounce': 'Hard bounce: no mail at all',
  complaint: 'Complaint: no promotional mail',
  'soft-bounce-limit': 'Soft bounces in a row: no mail at all',
  manual: 'Added by hand: no mail at all',
  erasure: 'Erased contact: no promotional mail without new consent',
};

/** Reading the list; changing it (the API admits contacts:write or suppressions for the same routes). */
const READ = { scope: 'contacts:read', change: false } as const;
const CHANGE = { scope: ['contacts:write', 'suppressions'], change: true } as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, READ);
  const page = await loadSuppressionsPage(admin, readPageQuery(new URL(request.url)), {
    feedback: can(admin, { scope: 'feedback', change: false }),
  });
  return { ...page, canChange: can(admin, CHANGE) };
}

export async function action({ request }: ActionFunctionArgs) {
  const { admin, form } = await requireAdminFormWith(request, CHANGE);
  const outcome = await submitSuppressionAction(admin, form);
  // Post/redirect/get: reloading the page repeats nothing.
  if (outcome.kind === 'done') return redirect(outcome.redirectTo, 303);
  return data(outcome, { status: 422 });
}

export default function Suppressions() {
  const page = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const { query, list } = page;
  const failed = outcome?.kind === 'invalid' ? outcome : undefined;
  const addErrors = failed?.intent === 'add' ? failed.errors : undefined;
  const liftErrors = failed?.intent === 'lift' ? failed.errors : undefined;
  const liftValues =
    failed?.intent === 'lift' ? failed.values : { address: query.lift, only: query.only, why: '' };
  const addValues = failed?.intent === 'add' ? failed.values : undefined;
  const pageLink = (changes: Partial<SuppressionsPageQuery>) => {
    const next = { q: query.q, reason: query.reason, range: query.range, ...changes };
    const params = new URLSearchParams(
      Object.entries(next).filter(([, value]) => value) as [string, string][],
    );
    return `/admin/suppressions?${params}`;
  };

  return (
    <>
      <h1>Suppressions</h1>
      <p>
        Addresses Herald will not mail, and why: bounces and complaints reported by the mail world, soft
        bounces in a row, erased contacts and addresses added by hand. The worker reads this list before every
        send.
      </p>
      <DoneMessage query={query} />

      {page.rates && <RatesPanel rates={page.rates} ranges={page.ranges} range={query.range} />}

      {page.reports && (
        <section className="panel" aria-labelledby="reports-heading">
          <h2 id="reports-heading">Latest reports</h2>
          <FeedbackReportsTable reports={page.reports.reports} />
          {(page.reports.next || query.reports) && (
            <p className="actions">
              {query.reports && <Link to={pageLink({})}>Newest reports</Link>}
              {page.reports.next && <Link to={pageLink({ reports: page.reports.next })}>Older reports</Link>}
            </p>
          )}
        </section>
      )}

      <section className="panel" aria-labelledby="list-heading">
        <h2 id="list-heading">The list</h2>
        <Form method="get" className="inline-fields" aria-label="Search the list">
          <input type="hidden" name="range" value={query.range} />
          <Field
            id="q"
            label="Address"
            hint="A whole address, or the start of a contact’s address."
            error={page.listProblem ?? undefined}
          >
            {(control) => (
              <input type="search" name="q" defaultValue={query.q} autoComplete="off" {...control} />
            )}
          </Field>
          <Field id="reason" label="Reason">
            {(control) => (
              <select name="reason" defaultValue={query.reason} {...control}>
                <option value="">Any reason</option>
                {SUPPRESSION_REASONS.map((reason) => (
                  <option key={reason} value={reason}>
                    {reason}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="field field-button">
            <button type="submit" className="secondary">
              Search
            </button>
          </div>
        </Form>
        {list.suppressions.length === 0 ? (
          <p>{query.q || query.reason ? 'No suppression matches.' : 'The list is empty.'}</p>
        ) : (
          <div className="table-scroll" role="region" aria-labelledby="list-heading" tabIndex={0}>
            <table className="admin-table" data-testid="suppressions">
              <thead>
                <tr>
                  <th scope="col">Address</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Since</th>
                  <th scope="col">Detail</th>
                  <th scope="col">Lift</th>
                </tr>
              </thead>
              <tbody>
                {list.suppressions.map((row) => (
                  <SuppressionRow
                    key={row.id}
                    row={row}
                    liftHref={pageLink({ lift: row.email ?? '', only: row.reason })}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
        {(list.next || query.cursor) && (
          <p className="actions">
            {query.cursor && <Link to={pageLink({})}>First page</Link>}
            {list.next && <Link to={pageLink({ cursor: list.next })}>Next page</Link>}
          </p>
        )}
      </section>

      {page.canChange && (
        <>
          <Form method="post" className="panel" aria-labelledby="add-heading">
            <h2 id="add-heading">Add an address</h2>
            <CsrfField />
            <FormProblem errors={addErrors} />
            <Field id="add-email" label="Address" error={addErrors?.fields['add-email']}>
              {(control) => (
                <input
                  type="email"
                  name="email"
                  required
                  autoComplete="off"
                  defaultValue={addValues?.email}
                  {...control}
                />
              )}
            </Field>
            <Field id="add-reason" label="Reason" error={addErrors?.fields['add-reason']}>
              {(control) => (
                <select name="reason" defaultValue={addValues?.reason ?? 'manual'} {...control}>
                  <option value="manual">Added by hand: no mail at all</option>
                  <option value="hard-bounce">Hard bounce: no mail at all</option>
                  <option value="complaint">Complaint: no promotional mail</option>
                </select>
              )}
            </Field>
            <Field
              id="add-detail"
              label="Detail (optional)"
              hint="Kept beside the suppression, e.g. what the person asked for."
              error={addErrors?.fields['add-detail']}
            >
              {(control) => (
                <input
                  type="text"
                  name="detail"
                  maxLength={500}
                  defaultValue={addValues?.detail}
                  {...control}
                />
              )}
            </Field>
            <button type="submit" name="intent" value="add">
              Add to the list
            </button>
          </Form>

          <Form method="post" className="panel" id="lift" aria-labelledby="lift-heading">
            <h2 id="lift-heading">Lift a suppression</h2>
            <p className="muted">
              The address may be mailed again. Your reason is kept in the contact’s consent log. An erased
              contact’s suppression cannot be lifted here: only new consent ends it.
            </p>
            <CsrfField />
            <FormProblem errors={liftErrors} />
            <Field id="lift-address" label="Address" error={liftErrors?.fields['lift-address']}>
              {(control) => (
                <input
                  type="email"
                  name="address"
                  required
                  autoComplete="off"
                  defaultValue={liftValues.address}
                  {...control}
                />
              )}
            </Field>
            <Field id="lift-only" label="Which suppression" error={liftErrors?.fields['lift-only']}>
              {(control) => (
                <select name="only" defaultValue={liftValues.only} {...control}>
                  <option value="">Every one the address has</option>
                  {SUPPRESSION_REASONS.filter((reason) => reason !== 'erasure').map((reason) => (
                    <option key={reason} value={reason}>
                      {REASONS[reason]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field
              id="lift-why"
              label="Why it may be mailed again"
              hint="Required. For example: “Confirmed by phone that the mailbox works again.”"
              error={liftErrors?.fields['lift-why']}
            >
              {(control) => (
                <textarea
                  name="why"
                  className="prose"
                  rows={3}
                  required
                  minLength={3}
                  defaultValue={liftValues.why}
                  {...control}
                />
              )}
            </Field>
            <button type="submit" name="intent" value="lift">
              Lift the suppression
            </button>
          </Form>
        </>
      )}
    </>
  );
}

function SuppressionRow({ row, liftHref }: { row: SuppressionView; liftHref: string }) {
  return (
    <tr>
      <td className="address">
        {row.email ?? (
          <span className="muted">
            unknown (hash <code>{row.addressHash.slice(0, 12)}…</code>)
          </span>
        )}
      </td>
      <td>
        {row.reason}
        <br />
        <span className="muted">{REASONS[row.reason]?.split(': ')[1]}</span>
      </td>
      <td>{formatInstant(row.createdAt)}</td>
      <td>{row.detail ?? '—'}</td>
      <td>
        {row.email && row.reason !== 'erasure' ? (
          <Link to={`${liftHref}#lift`} aria-label={`Lift ${row.reason} for ${row.email}`}>
            Lift…
          </Link>
        ) : null}
      </td>
    </tr>
  );
}

function DoneMessage({ query }: { query: SuppressionsPageQuery }) {
  if (!query.done || !query.q) return null;
  const text =
    query.done === 'added'
      ? `${query.q} is now suppressed (${query.only}).`
      : query.done === 'already'
        ? `${query.q} was already suppressed (${query.only}); nothing changed.`
        : query.done === 'removed'
          ? `${query.q} may be mailed again: lifted ${query.removed.split(',').join(', ')}.`
          : null;
  return text ? (
    <p role="status" className="notice">
      {text}
    </p>
  ) : null;
}
