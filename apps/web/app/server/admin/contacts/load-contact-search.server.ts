import type { ContactSearchResult } from '@herald/contract';
import { callApiAs } from '../api-client.server';
import type { SignedInAdmin } from '../require-admin.server';

export type ContactSearchQuery = { q: string; cursor: string };

export function readSearchQuery(url: URL): ContactSearchQuery {
  const text = (name: string) => (url.searchParams.get(name) ?? '').trim().slice(0, 254);
  return { q: text('q'), cursor: text('cursor') };
}

/**
 * One page of GET /v1/contacts as the signed-in person: the API validates the query, and a refusal
 * (a cursor someone edited) is shown beside the search field with an empty list.
 */
export async function loadContactSearch(
  admin: SignedInAdmin,
  query: ContactSearchQuery,
): Promise<{ result: ContactSearchResult; problem: string | null }> {
  const params = new URLSearchParams({ limit: '25' });
  if (query.q) params.set('q', query.q);
  if (query.cursor) params.set('cursor', query.cursor);
  const answer = await callApiAs<ContactSearchResult>(admin, 'GET', `/v1/contacts?${params}`);
  if (answer.ok) return { result: answer.body, problem: null };
  if (answer.problem.status === 400) {
    return { result: { contacts: [], next: null }, problem: 'That search could not be read: start again.' };
  }
  throw new Error(`API GET /v1/contacts: ${answer.problem.code} ${answer.problem.message}`);
}
