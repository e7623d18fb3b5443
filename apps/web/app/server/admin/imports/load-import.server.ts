import { ImportIdSchema, type ImportView } from '@herald/contract';
import { data } from '@remix-run/node';
import { readApiAs, type ConsoleCaller } from '../api-client.server';

/** One import as GET /v1/imports/{id} shows it; an id that cannot be one is the 404 page. */
export async function loadImport(caller: ConsoleCaller, id: string): Promise<ImportView> {
  if (!ImportIdSchema.safeParse({ id }).success) throw data(null, { status: 404 });
  return readApiAs<ImportView>(caller, `/v1/imports/${id}`);
}
