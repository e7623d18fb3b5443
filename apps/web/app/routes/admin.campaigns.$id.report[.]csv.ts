import type { LoaderFunctionArgs } from '@remix-run/node';
import { passOnCsv } from '~/server/admin/pass-on-csv.server';
import { requireAdminWith } from '~/server/admin/require-admin.server';

/** The campaign report as CSV (section, item, metric, value), streamed from the API. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, { scope: 'campaigns', change: false });
  const id = encodeURIComponent(params.id ?? '');
  return passOnCsv(admin, `/v1/campaigns/${id}/report.csv`, `campaign-${id}-report.csv`);
}
