import type { LoaderFunctionArgs } from '@remix-run/node';
import { apiAuditQuery, readAuditQuery } from '~/server/admin/audit/audit-query.server';
import { passOnCsv } from '~/server/admin/pass-on-csv.server';
import { requireAdminWith } from '~/server/admin/require-admin.server';

/** The audit page's rows (its filters, every page) as CSV, streamed from the API as it writes it. */
export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, { scope: 'audit', change: false });
  const query = readAuditQuery(new URL(request.url));
  return passOnCsv(
    admin,
    `/v1/audit-log?${apiAuditQuery({ ...query, before: '' }, { format: 'csv' })}`,
    'herald-audit-log.csv',
  );
}
