import type { LoaderFunctionArgs } from '@remix-run/node';
import { READ_IMPORTS } from '~/server/admin/imports/import-powers.server';
import { loadImport } from '~/server/admin/imports/load-import.server';
import { requireAdminWith } from '~/server/admin/require-admin.server';

/** JSON for the import page's live script: the import as the API shows it, never cached. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, READ_IMPORTS);
  return Response.json(await loadImport(admin, params.id ?? ''), {
    headers: { 'Cache-Control': 'no-store' },
  });
}
