import { data } from '@remix-run/node';
import type { VerifiedTokenPayload } from '@herald/preferences';
import type { Client } from './client.server';
import { readLinkToken } from './read-link-token.server';

/** For page routes: the token's payload, or a thrown 400/429 that the error page renders. */
export async function requireLinkToken(
  token: string | undefined,
  client: Client,
): Promise<VerifiedTokenPayload> {
  const result = await readLinkToken(token, client);
  if (result.ok) return result.payload;
  throw data(null, { status: result.status, headers: result.status === 429 ? { 'Retry-After': '60' } : {} });
}

/** A well-signed token whose contact was erased or whose category was removed: the same 400 page. */
export function linkNoLongerValid(): never {
  throw data(null, { status: 400 });
}
