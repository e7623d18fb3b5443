import type { LoaderFunctionArgs } from '@remix-run/node';
import { data } from '@remix-run/node';
import { streamApiAs } from '~/server/admin/api-client.server';
import { apiAuditQuery, readAuditQuery } from '~/server/admin/audit/audit-query.server';
import { requireAdminWith } from '~/server/admin/require-admin.server';

/** The audit page's rows (its filters, every page) as CSV, streamed from the API as it writes it. */
export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, { scope: 'audit', change: false });
  const query = readAuditQuery(new URL(request.url));
  const result = await streamApiAs(
    admin,
    `/v1/audit-log?${apiAuditQuery({ ...query, before: '' }, { format: 'csv' })}`,
  );
  if (!result.ok) throw data(result.problem.message, { status: 400 });
  return new Response(result.response.body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="herald-audit-log.csv"',
      'cache-control': 'no-store',
    },
  });
}
