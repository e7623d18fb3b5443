import { applyUnsubscribe, isPreferencesError, waitForInFlightDeliveries } from '@herald/preferences';
import type { MessageKey } from '~/i18n/catalogs';
import type { Client } from './client.server';
import { db } from './db.server';
import { readLinkToken } from './read-link-token.server';

/** The answer's status and its text, as a catalog message (the route words it, see u.$token.tsx). */
export type OneClickOutcome = { status: 200 | 400 | 429; message: MessageKey };

const NOT_VALID: OneClickOutcome = { status: 400, message: 'oneClick.notValid' };

/**
 * RFC 8058 one-click: the token in the URL is the whole authority (no cookie, session or CSRF
 * token), the body must be `List-Unsubscribe=One-Click`, and the answer is a short 200, never a
 * redirect. One statement in the database, then one query for sends in flight (one more per poll
 * while any is); repeating it changes and logs nothing more. The token is checked before the body
 * is asked for, so a request with a bad token costs no body parse (the Remix route does not read it
 * either; server.js's Express handler has it collected already, as the body limit reads it anyway).
 */
export async function applyOneClick(input: {
  token: string | undefined;
  /** Reads the body's List-Unsubscribe field (see readOneClickBody); called only for a valid token. */
  readListUnsubscribe: () => Promise<string | null>;
  client: Client;
}): Promise<OneClickOutcome> {
  const token = await readLinkToken(input.token, input.client);
  if (!token.ok) {
    return token.status === 429 ? { status: 429, message: 'oneClick.limited' } : NOT_VALID;
  }
  if ((await input.readListUnsubscribe()) !== 'One-Click') {
    return { status: 400, message: 'oneClick.badBody' };
  }
  const { payload } = token;
  try {
    await applyUnsubscribe(db, {
      contactId: payload.contactId,
      scope: payload.scope,
      source: 'one-click',
      ...(payload.messageId ? { messageId: payload.messageId } : {}),
      ...(input.client.userAgent ? { userAgent: input.client.userAgent } : {}),
      ipHash: input.client.ipHash,
      requestedAt: input.client.receivedAt,
    });
    // A worker that read the old state just before this commit may be sending right now: let it
    // finish, so that once this answer is out nothing more reaches the person (bounded wait). Also
    // when nothing changed: a repeat may arrive while the first request still waits.
    await waitForInFlightDeliveries(db, { contactId: payload.contactId });
  } catch (error) {
    // A well-signed token whose contact or category no longer exists: nothing to change.
    if (isPreferencesError(error) && ['unknown-contact', 'unknown-category'].includes(error.code)) {
      return NOT_VALID;
    }
    throw error;
  }
  return { status: 200, message: 'oneClick.done' };
}
