import type { LoaderFunctionArgs } from '@remix-run/node';
import { streamApiAs } from '~/server/admin/api-client.server';
import { requireAdminWith } from '~/server/admin/require-admin.server';

/** The version's evidence pack (a signed zip), streamed from the API as it is made. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, { scope: 'policies', change: false });
  const id = encodeURIComponent(params.id ?? '');
  const result = await streamApiAs(admin, `/v1/policies/${id}/evidence-pack`);
  if (!result.ok) {
    throw new Response(
      `That evidence pack cannot be made: ${result.problem.message} Nothing was changed.\n`,
      {
        status: result.problem.status === 404 ? 404 : 400,
        headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
      },
    );
  }
  return new Response(result.response.body, {
    headers: {
      'content-type': 'application/zip',
      'content-disposition':
        result.response.headers.get('content-disposition') ??
        `attachment; filename="policy-evidence-${id}.zip"`,
      'cache-control': 'no-store',
    },
  });
}
