import {
  getPreferences,
  isPreferencesError,
  updatePreferences,
  waitForInFlightDeliveries,
  type ConsentChange,
  type ConsentLink,
  type ConsentSourceValue,
} from '@herald/preferences';
import { data } from '@remix-run/node';
import type { Client } from './client.server';
import { db } from './db.server';
import { sendOptInConfirmation } from './send-opt-in-confirmation.server';

/**
 * A category the save changed, by key; null is the all-marketing switch. The page names them in its
 * own language (preference-form.tsx), from the categories it shows.
 */
export type SavedChange = {
  categoryKey: string | null;
  subscribed: boolean;
  /** "no-tracking": the "don't track my clicks" choice, `subscribed` meaning it is now on. */
  kind?: 'no-tracking';
};

/**
 * What the page says after saving: what changed, and the opt-ins that wait for the contact to
 * confirm them by mail (`confirmation.sent` false when none could be sent just now) or that the
 * link could not make at all (`refused`: a revoked link).
 */
export type SavedPreferences = {
  changed: SavedChange[];
  confirmation: { categoryKeys: (string | null)[]; sent: boolean } | null;
  refused: (string | null)[];
};

/**
 * Saves the whole form in one transaction (updatePreferences) and says what changed. The form
 * names the categories it showed (`shown`); a checked box means subscribed. Required categories
 * are never in `shown`, and keys the contact was not shown are ignored, so a category created
 * while the page was open is left alone. Through a preference link (`link`), an opt-in the link
 * does not reach is not applied: the contact is asked to confirm it by mail instead.
 */
export async function savePreferenceCenter(input: {
  contactId: string;
  form: FormData;
  source: Extract<ConsentSourceValue, 'preference-center' | 'account-page'>;
  messageId?: string;
  link?: ConsentLink;
  client: Client;
}): Promise<SavedPreferences> {
  const { form } = input;
  if (form.get('form') !== 'preferences') throw data(null, { status: 400 });
  const current = await getPreferences(db, { contactId: input.contactId }).catch((error: unknown) => {
    // The contact was erased (or never existed) after the link was sent: the same 400 page.
    if (isPreferencesError(error)) throw data(null, { status: 400 });
    throw error;
  });
  const shown = new Set(form.getAll('shown').map(String));
  const checked = new Set(form.getAll('category').map(String));
  const changeable = current.categories.filter((category) => !category.locked && shown.has(category.key));

  const result = await updatePreferences(db, {
    contactId: input.contactId,
    changes: changeable.map((category) => ({
      categoryKey: category.key,
      subscribed: checked.has(category.key),
    })),
    allPromotional: form.get('allPromotional') === 'on',
    ...(form.get('trackingShown') !== null && { clickTrackingOff: form.get('noTracking') === 'on' }),
    source: input.source,
    ...(input.messageId ? { messageId: input.messageId } : {}),
    ...(input.link ? { link: input.link } : {}),
    ...(input.client.userAgent ? { userAgent: input.client.userAgent } : {}),
    ipHash: input.client.ipHash,
    requestedAt: input.client.receivedAt,
  });
  // After the commit, as every opt-out: a send that read the old consent finishes before the page answers.
  await waitForInFlightDeliveries(db, { contactId: input.contactId });
  const key = (change: ConsentChange) => change.categoryKey;
  const confirmation =
    result.needsConfirmation.length > 0
      ? {
          categoryKeys: result.needsConfirmation.map(key),
          ...(await sendOptInConfirmation({ contactId: input.contactId, changes: result.needsConfirmation })),
        }
      : null;
  const trackingChange =
    result.clickTrackingOff === null
      ? []
      : [{ kind: 'no-tracking' as const, categoryKey: null, subscribed: result.clickTrackingOff }];
  return {
    changed: [
      ...result.changed.map((change) => ({ categoryKey: change.categoryKey, subscribed: change.subscribed })),
      ...trackingChange,
    ],
    confirmation,
    refused: result.refused.map(key),
  };
}
