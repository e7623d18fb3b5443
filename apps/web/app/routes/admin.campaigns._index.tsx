import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { formatCount, formatInstant } from '~/components/admin/format';
import { StatusBadge } from '~/components/admin/status-badge';
import { readApiAs } from '~/server/admin/api-client.server';
import type { CampaignView as Campaign, CampaignPausedReason } from '@herald/contract';
import { can, requireAdminWith } from '~/server/admin/require-admin.server';

export const meta: MetaFunction = () => [{ title: 'Campaigns: Herald console' }];

/** A guardrail's pause in a few words, beside the status. */
const PAUSED_BY: Record<CampaignPausedReason, string> = {
  'complaint-rate': 'complaint rate',
  'bounce-rate': 'bounce rate',
  blocked: 'sender refused',
};

/** The latest 100 campaigns, newest first, with their status and counts. */
export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, { scope: 'campaigns', change: false });
  const { campaigns } = await readApiAs<{ campaigns: Campaign[] }>(admin, '/v1/campaigns?limit=100');
  return { campaigns, canChange: can(admin, { scope: 'campaigns', change: true }) };
}

export default function Campaigns() {
  const { campaigns, canChange } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>Campaigns</h1>
        {canChange && (
          <Link to="/admin/campaigns/new" className="button-link">
            New campaign
          </Link>
        )}
      </div>
      {campaigns.length === 0 ? (
        <p>No campaigns yet.</p>
      ) : (
        <div className="table-scroll" role="region" aria-label="Campaigns" tabIndex={0}>
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Send time</th>
                <th scope="col" className="number">
                  Targeted
                </th>
                <th scope="col" className="number">
                  Sent
                </th>
                <th scope="col" className="number">
                  Suppressed
                </th>
                <th scope="col" className="number">
                  Failed or bounced
                </th>
              </tr>
            </thead>
            <tbody>
              {campaigns.map((campaign) => (
                <tr key={campaign.id}>
                  <td>
                    <Link to={`/admin/campaigns/${campaign.id}`}>{campaign.name}</Link>
                    <br />
                    <span className="muted">{campaign.template}</span>
                  </td>
                  <td>
                    <StatusBadge status={campaign.status} />
                    {campaign.status === 'paused' && campaign.pausedReason && (
                      <>
                        <br />
                        <span className="muted">by itself: {PAUSED_BY[campaign.pausedReason]}</span>
                      </>
                    )}
                  </td>
                  <td>{formatInstant(campaign.sendAt)}</td>
                  <td className="number">{formatCount(campaign.counts?.targeted ?? 0)}</td>
                  <td className="number">{formatCount(campaign.counts?.sent ?? 0)}</td>
                  <td className="number">{formatCount(campaign.counts?.suppressed ?? 0)}</td>
                  <td className="number">
                    {formatCount((campaign.counts?.failed ?? 0) + (campaign.counts?.bounced ?? 0))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
