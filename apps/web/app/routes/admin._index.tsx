import type { LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { consoleSections } from '~/server/admin/console-sections.server';
import { requireAdmin } from '~/server/admin/require-admin.server';

/** The console opens on the first section the person's role may read (campaigns for most). */
export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAdmin(request);
  return redirect(consoleSections(admin)[0]?.to ?? '/admin/account');
}
