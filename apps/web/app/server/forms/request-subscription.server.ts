import { EmailSchema } from '@herald/contract';
import { normalizeAddress } from '@herald/preferences';
import { createHash, randomBytes } from 'node:crypto';
import type { Client } from '../client.server';
import { db } from '../db.server';
import { webEnv } from '../env.server';
import { webApiKey } from '../web-api-key.server';
import { isSuppressedForForms } from './address-suppressed.server';
import { checkFillStamp } from './fill-stamp.server';
import { CONFIRM_DAYS, HONEYPOT_FIELD, STAMP_FIELD } from './subscribe-fields';
import type { PageLanguage } from '../../i18n/page-language';
import { describeChoices, mailLanguage } from '../i18n/describe-choices.server';
import type { PublicForm } from './subscribe-form.server';
import { maySendSubscribeConfirmation } from './subscribe-limit.server';

export const hashConfirmToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * `check-inbox`: the one answer to every acceptable request, whether a mail went or not (a known or
 * unknown address, one already subscribed, suppressed, over a limit, or a bot). `invalid-email`:
 * the person mistyped. `review`: a post without a fill stamp (the embedded snippet): the hosted page
 * is shown filled in, with a fresh stamp, for the person to send again.
 */
export type SubscribeOutcome =
  | { kind: 'check-inbox' }
  | { kind: 'invalid-email'; values: { email: string; name: string } }
  | { kind: 'review'; values: { email: string; name: string } };

export async function requestSubscription(
  form: PublicForm,
  fields: FormData,
  client: Client,
  language: PageLanguage,
): Promise<SubscribeOutcome> {
  const email = String(fields.get('email') ?? '').trim();
  const name = form.fields.includes('name')
    ? String(fields.get('name') ?? '')
        .trim()
        .slice(0, 200)
    : '';
  if (fields.getAll(HONEYPOT_FIELD).some((value) => value !== '')) return { kind: 'check-inbox' };
  const parsed = EmailSchema.safeParse(email);
  if (!parsed.success) return { kind: 'invalid-email', values: { email, name } };
  const stamp = checkFillStamp(form.key, String(fields.get(STAMP_FIELD) ?? ''));
  if (stamp === 'missing') return { kind: 'review', values: { email, name } };
  if (stamp === 'too-fast') return { kind: 'check-inbox' };

  const address = normalizeAddress(parsed.data);
  if (!(await maySendSubscribeConfirmation(address, client))) return { kind: 'check-inbox' };
  if (await isSuppressedForForms(address)) return { kind: 'check-inbox' };
  await sendConfirmation(form, address, name, client, language);
  return { kind: 'check-inbox' };
}

/**
 * Records the pending confirmation and mails its link, the transactional `subscription-confirm`
 * message, through Herald's API with the web app's own key (which sends it only to a contactId, with
 * a link under /subscribe/confirm/). An unknown address becomes a contact in no promotional audience
 * (as a transactional send makes one); nothing subscribes it until the link is confirmed.
 */
async function sendConfirmation(
  form: PublicForm,
  address: string,
  name: string,
  client: Client,
  language: PageLanguage,
): Promise<void> {
  const token = randomBytes(32).toString('base64url');
  const contact = await db.contact.upsert({
    where: { email: address },
    // A new address reads the language the form was filled in; a known contact keeps theirs.
    create: { email: address, promotionalDefaults: false, locale: language.tag },
    update: {},
    select: { id: true, locale: true },
  });
  const confirmation = await db.subscribeConfirmation.create({
    data: {
      tokenHash: hashConfirmToken(token),
      formKey: form.key,
      email: address,
      name: name || null,
      expiresAt: new Date(Date.now() + CONFIRM_DAYS * 24 * 60 * 60_000),
      ipHash: client.ipHash,
      consentText: form.consentText,
    },
    select: { id: true },
  });
  const response = await fetch(`${webEnv.HERALD_API_URL.replace(/\/+$/, '')}/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${webApiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      template: 'subscription-confirm',
      to: { contactId: contact.id },
      data: {
        confirmUrl: `${webEnv.PUBLIC_WEB_URL.replace(/\/+$/, '')}/subscribe/confirm/${token}`,
        formName: form.name,
        // In the contact's language, like the translation of the template the worker picks for them.
        choices: await describeChoices(form.categories, false, mailLanguage(contact.locale)),
        expiresInDays: CONFIRM_DAYS,
      },
      idempotencyKey: `subscribe-confirmation:${confirmation.id}`,
    }),
  }).catch((error: unknown) => {
    console.warn(`subscribe confirmation not sent: ${(error as Error).message}`);
    return null;
  });
  if (response && response.status !== 202) {
    console.warn(`the API refused the subscribe confirmation: ${response.status} ${await response.text()}`);
  }
}
