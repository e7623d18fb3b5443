import { isPreferencesError, updatePreferences, type ConfirmationPayload } from '@herald/preferences';
import { data } from '@remix-run/node';
import type { Client } from './client.server';
import { db } from './db.server';

/** `confirmed`: the opt-ins now apply (or already did); `revoked`: the contact's links were revoked since. */
export type ConfirmOutcome = { result: 'confirmed' | 'revoked' };

/**
 * Applies exactly the opt-ins the confirmation mail named, with their consent-log rows (source
 * preference-center, reason "confirmed by mail"), unless the contact's links were revoked after the
 * mail was sent. Following the link again changes and logs nothing more.
 */
export async function confirmOptIn(payload: ConfirmationPayload, client: Client): Promise<ConfirmOutcome> {
  try {
    const result = await updatePreferences(db, {
      contactId: payload.contactId,
      changes: payload.categories.map((categoryKey) => ({ categoryKey, subscribed: true })),
      ...(payload.allPromotional ? { allPromotional: true } : {}),
      source: 'preference-center',
      reason: 'confirmed by mail',
      link: { kind: 'confirmation', tokenEpoch: payload.tokenEpoch },
      ...(client.userAgent ? { userAgent: client.userAgent } : {}),
      ipHash: client.ipHash,
      requestedAt: client.receivedAt,
    });
    return { result: result.refused.length > 0 ? 'revoked' : 'confirmed' };
  } catch (error) {
    // The contact was erased, or a category removed, since the mail: the link reaches nothing.
    if (isPreferencesError(error)) throw data(null, { status: 400 });
    throw error;
  }
}
