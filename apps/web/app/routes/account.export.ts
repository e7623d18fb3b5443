import type { LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import type { ContactExport } from '@herald/contract';
import { callApi } from '~/server/admin/api-client.server';
import { exportResponse } from '~/server/admin/contacts/download-contact-export.server';
import { readAccountSession } from '~/server/session.server';

/**
 * The signed-in person downloads everything Herald holds about them (GDPR Art. 15), as JSON: the
 * API's export, asked for with the web app's key, whose self-export scope the API names in the audit
 * log as the person themself. Not signed in: the account page, which offers a sign-in link. An erased
 * contact has nothing to export.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const session = await readAccountSession(request);
  if (!session) return redirect('/account', 303);
  const result = await callApi<ContactExport>(
    'GET',
    `/v1/contacts/${encodeURIComponent(session.contactId)}/export`,
  );
  if (!result.ok) return redirect('/account', 303);
  return exportResponse(result.body, 'herald-my-data.json');
}
