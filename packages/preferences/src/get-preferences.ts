import type { MessageClassValue } from './decide-delivery.js';
import { z } from 'zod';
import type { DbClient } from './db-client.js';
import { effectiveSubscription } from './effective-subscription.js';
import { parseInput } from './parse-input.js';
import { PreferencesError } from './preferences-error.js';

export type CategoryPreference = {
  key: string;
  name: string;
  description: string;
  class: MessageClassValue;
  required: boolean;
  subscribed: boolean;
  /** Required categories cannot be changed; the page shows them locked with the reason. */
  locked: boolean;
};

export type Preferences = {
  allPromotional: { subscribed: boolean };
  /** The contact chose "don't track my clicks": their mail has plain links. */
  clickTrackingOff: boolean;
  categories: CategoryPreference[];
};

const GetPreferencesOptionsSchema = z.object({ contactId: z.guid() });

/** The contact's effective state for every category, transactional ones first. */
export async function getPreferences(db: DbClient, options: { contactId: string }): Promise<Preferences> {
  parseInput(GetPreferencesOptionsSchema, options, 'getPreferences');
  const contact = await db.contact.findUnique({
    where: { id: options.contactId },
    select: {
      promotionalOptOut: true,
      promotionalDefaults: true,
      clickTrackingOff: true,
      erasedAt: true,
      preferences: { select: { categoryKey: true, subscribed: true } },
    },
  });
  if (!contact) throw new PreferencesError('unknown-contact', `contact ${options.contactId} does not exist`);
  if (contact.erasedAt)
    throw new PreferencesError('erased-contact', `contact ${options.contactId} has been erased`);

  const categories = await db.category.findMany({
    orderBy: [{ class: 'asc' }, { required: 'desc' }, { name: 'asc' }],
  });
  const explicit = new Map(
    contact.preferences.map((preference) => [preference.categoryKey, preference.subscribed]),
  );

  return {
    allPromotional: { subscribed: !contact.promotionalOptOut },
    clickTrackingOff: contact.clickTrackingOff,
    categories: categories.map((category) => ({
      key: category.key,
      name: category.name,
      description: category.description,
      class: category.class,
      required: category.required,
      subscribed: effectiveSubscription(category, explicit.get(category.key), contact),
      locked: category.required,
    })),
  };
}
