import { IdSchema, type ContactExport } from '@herald/contract';
import { data } from '@remix-run/node';
import { callApiAs } from '../api-client.server';
import type { SignedInAdmin } from '../require-admin.server';

/**
 * GET /v1/contacts/{id}/export as the signed-in person (the API writes the `contact.exported` audit
 * row under their name), answered as a JSON download. An unknown or erased contact is the 404 page.
 */
export async function downloadContactExport(admin: SignedInAdmin, id: string): Promise<Response> {
  if (!IdSchema.safeParse(id).success) throw data(null, { status: 404 });
  const result = await callApiAs<ContactExport>(admin, 'GET', `/v1/contacts/${id}/export`);
  if (!result.ok) {
    if (result.problem.status === 404 || result.problem.status === 400) throw data(null, { status: 404 });
    if (result.problem.status === 403) throw data(null, { status: 403 });
    throw new Error(`API GET /v1/contacts/${id}/export: ${result.problem.code} ${result.problem.message}`);
  }
  return exportResponse(result.body, `herald-contact-${id}.json`);
}

/** A contact's export as a file to save, never cached on the way. */
export function exportResponse(body: ContactExport, filename: string): Response {
  return new Response(`${JSON.stringify(body, null, 2)}\n`, {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    },
  });
}
