import type { LoaderFunctionArgs } from '@remix-run/node';
import { READ_CONTACTS } from '~/server/admin/contacts/contact-powers.server';
import { passOnCsv } from '~/server/admin/pass-on-csv.server';
import { requireAdminWith } from '~/server/admin/require-admin.server';

/** The consent log for a date range (GET /v1/exports/consent-log): the proof an auditor asks for. */
export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, READ_CONTACTS);
  const url = new URL(request.url);
  const query = new URLSearchParams({
    from: url.searchParams.get('from') ?? '',
    to: url.searchParams.get('to') ?? '',
  });
  return passOnCsv(admin, `/v1/exports/consent-log?${query}`, 'herald-consent-log.csv');
}
