import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import type { ImportView } from '@herald/contract';
import { formatCount, formatInstant } from '~/components/admin/format';
import { ImportProgressPanel, isImportLive } from '~/components/admin/import-progress';
import { StatusBadge } from '~/components/admin/status-badge';
import { usePolling } from '~/components/admin/use-polling';
import { READ_IMPORTS } from '~/server/admin/imports/import-powers.server';
import { loadImport } from '~/server/admin/imports/load-import.server';
import { requireAdminWith } from '~/server/admin/require-admin.server';

export const meta: MetaFunction = () => [{ title: 'Import: Herald console' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, READ_IMPORTS);
  return loadImport(admin, params.id ?? '');
}

export default function ImportPage() {
  const initial = useLoaderData<typeof loader>() as ImportView;
  // With JavaScript the page polls its progress; without, the refresh below reloads it.
  const view = usePolling(`/admin/imports/${initial.id}/progress`, initial, isImportLive);
  const live = isImportLive(view);
  const errorCount = view.counts?.errorCount;
  return (
    <>
      {isImportLive(initial) && (
        // Only read where scripts do not run: a browser with JavaScript polls instead of reloading.
        <noscript>
          <meta httpEquiv="refresh" content="2" />
        </noscript>
      )}
      <p>
        <Link to="/admin/imports">All imports</Link>
      </p>
      <div className="page-head">
        <h1>Import of {formatInstant(view.createdAt)}</h1>
        <StatusBadge status={view.status} />
      </div>
      <dl className="detail-list">
        <dt>By</dt>
        <dd className="address">{view.actor}</dd>
        <dt>Categories</dt>
        <dd>{view.categories.length > 0 ? view.categories.join(', ') : 'none'}</dd>
        <dt>Consent basis</dt>
        <dd>{view.basis}</dd>
        <dt>Started</dt>
        <dd>{formatInstant(view.startedAt)}</dd>
        <dt>Finished</dt>
        <dd>{formatInstant(view.finishedAt)}</dd>
      </dl>
      <ImportProgressPanel view={view} />
      <section className="panel" aria-labelledby="bad-rows-heading">
        <h2 id="bad-rows-heading">Bad rows</h2>
        {errorCount === 0 ? (
          <p>Every row of the file could be read.</p>
        ) : (
          <>
            <p>
              {errorCount === undefined
                ? 'Rows that cannot be imported are skipped; the others are applied.'
                : `${formatCount(errorCount)} ${errorCount === 1 ? 'row was' : 'rows were'} not imported.`}
              {live && ' The list is complete once the import has finished.'}
            </p>
            <p className="actions">
              <a href={`/admin/imports/${view.id}/errors`} download>
                Download the bad rows (CSV: line, message)
              </a>
            </p>
          </>
        )}
      </section>
    </>
  );
}
