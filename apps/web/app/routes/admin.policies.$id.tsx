import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { AnnounceForm } from '~/components/admin/announce-form';
import { CoveragePanel, isCoverageLive } from '~/components/admin/coverage-panel';
import { formatInstant } from '~/components/admin/format';
import { StatusBadge } from '~/components/admin/status-badge';
import { usePolling } from '~/components/admin/use-polling';
import type { PolicyCoverage } from '@herald/contract';
import { loadPolicyPage } from '~/server/admin/policies/load-policy-page.server';
import { submitPolicyAction } from '~/server/admin/policies/submit-policy-action.server';
import { requireAdminWith, requireAdminFormWith } from '~/server/admin/require-admin.server';

const DAY_MS = 24 * 60 * 60 * 1000;

export const meta: MetaFunction<typeof loader> = ({ data: page }) => [
  { title: `Policy ${page?.policy.version ?? 'version'}: Herald console` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, { scope: 'policies', change: false });
  const page = await loadPolicyPage(admin, params.id ?? '');
  const { policy } = page;
  // Decided here, not in the browser, so the server's and the browser's render agree.
  const shortNotice = Date.parse(policy.effectiveAt) < Date.now() + policy.requiredNoticeDays * DAY_MS;
  return { ...page, needsReason: shortNotice && !policy.override };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { admin, form } = await requireAdminFormWith(request, { scope: 'policies', change: true });
  const outcome = await submitPolicyAction(admin, params.id ?? '', form);
  if (outcome.kind === 'announced') return redirect(`/admin/policies/${params.id}`, 303);
  return data(outcome, { status: 422 });
}

export default function PolicyPage() {
  const { policy, coverage: initial, needsReason } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const coverage = usePolling<PolicyCoverage>(
    `/admin/policies/${policy.id}/coverage`,
    initial,
    isCoverageLive,
  );
  return (
    <>
      <p>
        <Link to="/admin/policies">All policy versions</Link>
      </p>
      <div className="page-head">
        <h1>
          {policy.title}, version {policy.version}
        </h1>
        <StatusBadge status={coverage.status} />
      </div>
      <dl className="detail-list">
        <dt>Takes effect</dt>
        <dd>{formatInstant(policy.effectiveAt)}</dd>
        <dt>Announced</dt>
        <dd>{policy.announcedAt ? formatInstant(policy.announcedAt) : 'not yet'}</dd>
        <dt>Previous version</dt>
        <dd>
          {policy.previousVersion
            ? `${policy.previousVersion.version}: ${policy.previousVersion.title}`
            : 'none'}
        </dd>
        <dt>What changes</dt>
        <dd>{policy.summary}</dd>
        <dt>Full text</dt>
        <dd>
          <a href={policy.url}>{policy.url}</a>
        </dd>
        <dt>Notice period</dt>
        <dd>
          {policy.requiredNoticeDays} days
          {policy.override && `, overridden: “${policy.override.reason}”`}
        </dd>
      </dl>
      {policy.status === 'draft' && (
        <AnnounceForm needsReason={needsReason} errors={outcome?.errors} values={outcome?.values} />
      )}
      <CoveragePanel coverage={coverage} />
      {policy.status !== 'draft' && (
        <section className="panel" aria-labelledby="evidence">
          <h2 id="evidence">Evidence</h2>
          <p>
            One signed zip with this version, its notice, every contact&apos;s delivery evidence and who was
            at risk each day, to hand to an auditor. It verifies offline with{' '}
            <code>npm run verify-evidence-pack -- the-file.zip</code>.
          </p>
          <p>
            <a className="button-link" href={`/admin/policies/${policy.id}/evidence`} download>
              Download the evidence pack
            </a>
          </p>
        </section>
      )}
    </>
  );
}
