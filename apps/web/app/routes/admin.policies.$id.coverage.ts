import type { LoaderFunctionArgs } from '@remix-run/node';
import { readApiAs } from '~/server/admin/api-client.server';
import type { PolicyCoverage } from '@herald/contract';
import { requireAdminWith } from '~/server/admin/require-admin.server';

/** JSON for the policy page's live script: the version's coverage now, never cached. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, { scope: 'policies', change: false });
  const coverage = await readApiAs<PolicyCoverage>(
    admin,
    `/v1/policies/${encodeURIComponent(params.id ?? '')}/coverage`,
  );
  return Response.json(coverage, { headers: { 'Cache-Control': 'no-store' } });
}
