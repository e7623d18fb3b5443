import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { formatCount, formatInstant } from '~/components/admin/format';
import { StatusBadge } from '~/components/admin/status-badge';
import { loadPolicyList } from '~/server/admin/policies/load-policy-list.server';
import { can, requireAdminWith } from '~/server/admin/require-admin.server';

export const meta: MetaFunction = () => [{ title: 'Policy versions: Herald console' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, { scope: 'policies', change: false });
  return {
    versions: await loadPolicyList(admin),
    canChange: can(admin, { scope: 'policies', change: true }),
  };
}

export default function Policies() {
  const { versions, canChange } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>Policy versions</h1>
        {canChange && (
          <Link to="/admin/policies/new" className="button-link">
            New version
          </Link>
        )}
      </div>
      <p>
        Each version is announced to every contact before it takes effect. The public page is at{' '}
        <Link to="/policy">/policy</Link>.
      </p>
      {versions.length === 0 ? (
        <p>No policy versions yet.</p>
      ) : (
        <div className="table-scroll" role="region" aria-label="Policy versions" tabIndex={0}>
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Takes effect</th>
                <th scope="col">Status</th>
                <th scope="col">At risk</th>
                <th scope="col" className="number">
                  Delivered
                </th>
                <th scope="col" className="number">
                  Reachable
                </th>
              </tr>
            </thead>
            <tbody>
              {versions.map(({ policy, coverage }) => (
                <tr key={policy.id}>
                  <td>
                    <Link to={`/admin/policies/${policy.id}`}>{policy.version}</Link>
                    <br />
                    <span className="muted">{policy.title}</span>
                  </td>
                  <td>{formatInstant(policy.effectiveAt)}</td>
                  <td>
                    <StatusBadge status={policy.status} />
                  </td>
                  <td>{coverage.atRisk ? <span className="badge bad">at risk</span> : 'no'}</td>
                  <td className="number">{formatCount(coverage.delivered)}</td>
                  <td className="number">{formatCount(coverage.reachable)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
