import type { LoaderFunctionArgs } from '@remix-run/node';
import { READ_CONTACTS } from '~/server/admin/contacts/contact-powers.server';
import { downloadContactExport } from '~/server/admin/contacts/download-contact-export.server';
import { requireAdminWith } from '~/server/admin/require-admin.server';

/** The contact's "Export JSON" link: everything Herald holds about them, as a file (GDPR Art. 15). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, READ_CONTACTS);
  return downloadContactExport(admin, params.id ?? '');
}
