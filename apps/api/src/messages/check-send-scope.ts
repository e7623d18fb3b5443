import type { SendMessageInput } from '@herald/contract';
import { type Caller, hasScope, lacksScope } from '../core/caller.js';

/**
 * What the web app's `sign-in:send` scope may send: its own required mails, each with the one link
 * variable it carries and the web app's page that link must lead to.
 */
export const WEB_APP_MAILS: Readonly<Record<string, { link: string; page: string }>> = {
  // The magic link of the account page.
  'security-sign-in': { link: 'signInUrl', page: '/account/sign-in/' },
  // The confirmation an opt-in through an old or other-category preference link waits for.
  'consent-confirmation': { link: 'confirmUrl', page: '/preferences/confirm/' },
  // The double opt-in of a subscribe form: the person confirms at their own address.
  'subscription-confirm': { link: 'confirmUrl', page: '/subscribe/confirm/' },
};

/**
 * POST /v1/messages with `sign-in:send` and not `messages:send` (the web app's key): only the web
 * app's own mails (WEB_APP_MAILS), only to a contact that exists (by contactId, so the key cannot
 * mail any address it likes), and only with a link into the web app's own page for that mail (so
 * the key cannot send a security mail that points anywhere else).
 */
export function checkSendScope(caller: Caller, input: SendMessageInput, publicWebUrl: string): void {
  if (hasScope(caller, 'messages:send')) return;
  const base = publicWebUrl.replace(/\/+$/, '');
  const mail = WEB_APP_MAILS[input.template];
  const link = mail ? input.data[mail.link] : undefined;
  const allowed =
    mail !== undefined &&
    'contactId' in input.to &&
    (link === undefined || (typeof link === 'string' && link.startsWith(`${base}${mail.page}`)));
  if (!allowed) {
    const rules = Object.entries(WEB_APP_MAILS)
      .map(([template, { link: variable, page }]) => `${template} with a ${variable} under ${base}${page}`)
      .join(', or ');
    throw lacksScope('messages:send', `"sign-in:send" sends only ${rules}, to a contactId.`);
  }
}
