import { db } from './db.server';
import { webEnv } from './env.server';
import { SIGN_IN_MINUTES } from '../sign-in-lifetime';
import { newSignInToken } from './sign-in-token.server';
import { webApiKey } from './web-api-key.server';

/**
 * Stores a single-use sign-in token and sends its link through Herald's own API as the required
 * transactional `security-sign-in` message, so it is decided, rendered and logged like any mail.
 * The web app's key may send only this template (scope `sign-in:send`).
 */
export async function sendSignInLink(contactId: string): Promise<void> {
  const { token, tokenHash } = newSignInToken();
  const row = await db.signInToken.create({
    data: { contactId, tokenHash, expiresAt: new Date(Date.now() + SIGN_IN_MINUTES * 60_000) },
    select: { id: true },
  });
  const signInUrl = `${webEnv.PUBLIC_WEB_URL.replace(/\/+$/, '')}/account/sign-in/${token}`;
  const response = await fetch(`${webEnv.HERALD_API_URL.replace(/\/+$/, '')}/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${webApiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      template: 'security-sign-in',
      to: { contactId },
      data: { signInUrl, expiresInMinutes: SIGN_IN_MINUTES },
      idempotencyKey: `sign-in:${row.id}`,
    }),
  });
  if (response.status !== 202) {
    throw new Error(`the API refused the sign-in message: ${response.status} ${await response.text()}`);
  }
}
