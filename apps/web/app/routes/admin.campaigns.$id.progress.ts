import type { LoaderFunctionArgs } from '@remix-run/node';
import { loadCampaignProgress } from '~/server/admin/campaigns/load-campaign-progress.server';
import { requireAdminWith } from '~/server/admin/require-admin.server';

/** JSON for the campaign page's live script: status, counts, the timeline and a guardrail's pause, never cached. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, { scope: 'campaigns', change: false });
  const { status, counts, timeline, pausedReason, guardrails } = await loadCampaignProgress(
    admin,
    params.id ?? '',
  );
  return Response.json(
    { status, counts, timeline, pausedReason, guardrails },
    { headers: { 'Cache-Control': 'no-store' } },
  );
}
