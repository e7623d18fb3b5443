import { signConfirmationToken, type ConsentChange } from '@herald/preferences';
import { randomUUID } from 'node:crypto';
import { db } from './db.server';
import { describeChoices, mailLanguage } from './i18n/describe-choices.server';
import { signingKeys, webEnv } from './env.server';
import { redis, redisKey } from './redis.server';
import { webApiKey } from './web-api-key.server';

/** How long the link in a confirmation mail works. */
export const CONFIRMATION_MINUTES = 60;
/** Confirmation mails a contact gets per window at most: a forwarded link must not mail-bomb its owner. */
const CONFIRMATIONS_PER_WINDOW = 3;
const WINDOW_SECONDS = 15 * 60;

export type ConfirmationSent = { sent: boolean };

/**
 * Asks the contact, at its own address, to confirm opt-ins its link could not make by itself
 * (too old, another category: @herald/preferences link-reach.ts). The mail is the required
 * transactional `consent-confirmation` message, sent through Herald's own API like the sign-in link;
 * its link is a short-lived signed token naming exactly these opt-ins. At most
 * CONFIRMATIONS_PER_WINDOW per contact per 15 minutes; over that, or with Redis away (the limit
 * cannot be checked, and sending nothing harms nobody), nothing is sent.
 */
export async function sendOptInConfirmation(input: {
  contactId: string;
  changes: ConsentChange[];
}): Promise<ConfirmationSent> {
  const categories = input.changes.flatMap((change) => (change.categoryKey ? [change.categoryKey] : []));
  const allPromotional = input.changes.some((change) => change.categoryKey === null);
  if (!(await withinLimit(input.contactId))) return { sent: false };

  const contact = await db.contact.findUnique({
    where: { id: input.contactId },
    select: { tokenEpoch: true, erasedAt: true, locale: true },
  });
  if (!contact || contact.erasedAt) return { sent: false };
  const token = signConfirmationToken(
    {
      contactId: input.contactId,
      tokenEpoch: contact.tokenEpoch,
      categories,
      allPromotional,
      expiresAt: new Date(Date.now() + CONFIRMATION_MINUTES * 60_000),
    },
    signingKeys,
  );
  // The API unreachable is no error of the person's: the page says no mail went, and nothing changed.
  const response = await fetch(`${webEnv.HERALD_API_URL.replace(/\/+$/, '')}/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${webApiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      template: 'consent-confirmation',
      to: { contactId: input.contactId },
      data: {
        confirmUrl: `${webEnv.PUBLIC_WEB_URL.replace(/\/+$/, '')}/preferences/confirm/${token}`,
        // In the contact's language, like the translation of the template the worker picks for them.
        choices: await describeChoices(categories, allPromotional, mailLanguage(contact.locale)),
        expiresInMinutes: CONFIRMATION_MINUTES,
      },
      idempotencyKey: `opt-in-confirmation:${randomUUID()}`,
    }),
  }).catch((error: unknown) => {
    console.warn(`confirmation message not sent: ${(error as Error).message}`);
    return null;
  });
  if (!response) return { sent: false };
  if (response.status !== 202) {
    console.warn(`the API refused the confirmation message: ${response.status} ${await response.text()}`);
    return { sent: false };
  }
  return { sent: true };
}

async function withinLimit(contactId: string): Promise<boolean> {
  const key = redisKey('opt-in-confirmations', contactId);
  try {
    const results = await redis.multi().incr(key).expire(key, WINDOW_SECONDS, 'NX').exec();
    return Number(results?.[0]?.[1] ?? Infinity) <= CONFIRMATIONS_PER_WINDOW;
  } catch (error) {
    console.warn(`opt-in confirmation not sent, its limit could not be checked: ${(error as Error).message}`);
    return false;
  }
}
