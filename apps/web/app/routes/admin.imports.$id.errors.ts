import type { LoaderFunctionArgs } from '@remix-run/node';
import { data } from '@remix-run/node';
import { ImportIdSchema } from '@herald/contract';
import { READ_IMPORTS } from '~/server/admin/imports/import-powers.server';
import { passOnCsv } from '~/server/admin/pass-on-csv.server';
import { requireAdminWith } from '~/server/admin/require-admin.server';

/** An import's bad rows as the API streams them (GET /v1/imports/{id}/errors): line, message. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, READ_IMPORTS);
  const id = params.id ?? '';
  if (!ImportIdSchema.safeParse({ id }).success) throw data(null, { status: 404 });
  return passOnCsv(admin, `/v1/imports/${id}/errors`, `herald-import-${id}-errors.csv`);
}
