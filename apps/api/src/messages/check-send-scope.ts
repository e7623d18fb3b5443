import type { SendMessageInput } from '@herald/contract';
import { type Caller, hasScope, lacksScope } from '../core/caller.js';

/** The one template the web app's `sign-in:send` scope may send. */
export const SIGN_IN_TEMPLATE = 'security-sign-in';

/**
 * POST /v1/messages with `sign-in:send` and not `messages:send` (the web app's key): only the
 * sign-in mail, only to a contact that exists (by contactId, so the key cannot mail any address it
 * likes), and only with a link into the web app's own sign-in page (so the key cannot send a
 * security mail that points anywhere else).
 */
export function checkSendScope(caller: Caller, input: SendMessageInput, publicWebUrl: string): void {
  if (hasScope(caller, 'messages:send')) return;
  const signInPage = `${publicWebUrl.replace(/\/+$/, '')}/account/sign-in/`;
  const link = input.data.signInUrl;
  const allowed =
    input.template === SIGN_IN_TEMPLATE &&
    'contactId' in input.to &&
    (link === undefined || (typeof link === 'string' && link.startsWith(signInPage)));
  if (!allowed) {
    throw lacksScope(
      'messages:send',
      `"sign-in:send" sends only the ${SIGN_IN_TEMPLATE} template, to a contactId, with a signInUrl under ${signInPage}.`,
    );
  }
}
