import { verifyToken, type VerifiedTokenPayload } from '@herald/preferences';
import type { Client } from './client.server';
import { signingKeys } from './env.server';
import { recordTokenFailure } from './record-token-failure.server';

export type LinkTokenResult = { ok: true; payload: VerifiedTokenPayload } | { ok: false; status: 400 | 429 };

/**
 * Verifies an unsubscribe/preferences token from a URL. A valid token costs no I/O; a failing
 * one is counted against the client's address and answers 400 (or 429 over the limit). Why it
 * failed is never told: tampered, truncated and foreign-key tokens look the same.
 */
export async function readLinkToken(token: string | undefined, client: Client): Promise<LinkTokenResult> {
  const verification = verifyToken(token ?? '', signingKeys);
  if (verification.ok) return { ok: true, payload: verification.payload };
  const { limited } = await recordTokenFailure(client);
  return { ok: false, status: limited ? 429 : 400 };
}
