import { isPreferencesError, normalizeAddress, updatePreferences } from '@herald/preferences';
import type { Client } from '../client.server';
import { db } from '../db.server';
import { isSuppressedForForms } from './address-suppressed.server';
import { hashConfirmToken } from './request-subscription.server';

/**
 * What a confirmation link leads to, for its page: the form's name while it can still be used;
 * `closed` while its form is disabled (the link works again if the form is enabled before it expires).
 */
export type ConfirmLink = { state: 'pending'; formName: string } | { state: 'gone' } | { state: 'closed' };

/** Reads a link without changing anything: mail scanners open links, and a GET confirms nothing. */
export async function readConfirmLink(token: string | undefined): Promise<ConfirmLink> {
  if (!token) return { state: 'gone' };
  const row = await db.subscribeConfirmation.findUnique({
    where: { tokenHash: hashConfirmToken(token) },
    select: { confirmedAt: true, expiresAt: true, form: { select: { name: true, disabledAt: true } } },
  });
  if (!row || row.confirmedAt || row.expiresAt <= new Date()) return { state: 'gone' };
  if (row.form.disabledAt) return { state: 'closed' };
  return { state: 'pending', formName: row.form.name };
}

/**
 * Uses the link once: claims it (a used or expired one, or one of a disabled form, claims nothing:
 * `closed` for the last), then subscribes its address
 * to the form's categories, creating the contact if there is none, with one consent-log row per
 * category: source subscribe-form, the form as actor, the confirming client's hashed address, and in
 * the reason when the form was filled and the text it showed. A suppressed or erased address is
 * never subscribed, and its page says the same as any other's.
 */
export async function confirmSubscription(
  token: string | undefined,
  client: Client,
): Promise<'confirmed' | 'gone' | 'closed'> {
  if (!token) return 'gone';
  const now = new Date();
  const tokenHash = hashConfirmToken(token);
  const claimed = await db.subscribeConfirmation.updateManyAndReturn({
    where: { tokenHash, confirmedAt: null, expiresAt: { gt: now }, form: { disabledAt: null } },
    data: { confirmedAt: now },
    select: {
      id: true,
      email: true,
      name: true,
      createdAt: true,
      consentText: true,
      ipHash: true,
      formKey: true,
      form: { select: { categories: true } },
    },
  });
  const confirmation = claimed[0];
  if (!confirmation) return (await readConfirmLink(token)).state === 'closed' ? 'closed' : 'gone';
  const address = normalizeAddress(confirmation.email);
  if (await isSuppressedForForms(address)) return 'confirmed';
  try {
    const contact = await db.contact.upsert({
      where: { email: address },
      create: {
        email: address,
        promotionalDefaults: false,
        ...(confirmation.name && { name: confirmation.name }),
      },
      update: {},
      select: { id: true, name: true, erasedAt: true },
    });
    if (contact.erasedAt) return 'confirmed';
    if (!contact.name && confirmation.name) {
      await db.contact.update({ where: { id: contact.id }, data: { name: confirmation.name } });
    }
    await updatePreferences(db, {
      contactId: contact.id,
      changes: confirmation.form.categories.map((categoryKey) => ({ categoryKey, subscribed: true })),
      source: 'subscribe-form',
      actor: `form:${confirmation.formKey}`,
      reason: `confirmed by mail; form "${confirmation.formKey}" filled ${confirmation.createdAt.toISOString()} (client ${confirmation.ipHash}) showing: ${confirmation.consentText}`,
      ...(client.userAgent ? { userAgent: client.userAgent } : {}),
      ipHash: client.ipHash,
      requestedAt: client.receivedAt,
    });
    return 'confirmed';
  } catch (error) {
    // A category removed since the form was filled: nothing subscribed, the link may be tried again.
    await db.subscribeConfirmation.update({ where: { id: confirmation.id }, data: { confirmedAt: null } });
    if (isPreferencesError(error)) return 'gone';
    throw error;
  }
}
