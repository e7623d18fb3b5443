import type { LoaderFunctionArgs } from '@remix-run/node';
import { readApi } from '~/server/admin/api-client.server';
import type { PolicyCoverage } from '@herald/contract';
import { requireAdmin } from '~/server/admin/require-admin.server';

/** JSON for the policy page's live script: the version's coverage now, never cached. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const coverage = await readApi<PolicyCoverage>(
    `/v1/policies/${encodeURIComponent(params.id ?? '')}/coverage`,
  );
  return Response.json(coverage, { headers: { 'Cache-Control': 'no-store' } });
}
