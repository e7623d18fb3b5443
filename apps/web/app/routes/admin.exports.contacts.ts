import type { LoaderFunctionArgs } from '@remix-run/node';
import { READ_CONTACTS } from '~/server/admin/contacts/contact-powers.server';
import { passOnCsv } from '~/server/admin/pass-on-csv.server';
import { requireAdminWith } from '~/server/admin/require-admin.server';

/** Every contact with their consent now, as the API streams it (GET /v1/exports/contacts). */
export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, READ_CONTACTS);
  return passOnCsv(admin, '/v1/exports/contacts', 'herald-contacts.csv');
}
