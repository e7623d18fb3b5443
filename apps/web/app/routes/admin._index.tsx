import type { LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { requireAdmin } from '~/server/admin/require-admin.server';

/** The console opens on its campaign list. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return redirect('/admin/campaigns');
}
