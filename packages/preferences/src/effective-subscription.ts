import type { MessageClassValue } from './decide-delivery.js';

/**
 * Whether a contact receives a category, as its preference pages show it: a required category
 * always; else its explicit choice (a preferences row); else the category's default, except that a
 * promotional default is no consent for a contact created by a send (promotionalDefaults false).
 * loadDeliveryState and the campaign audience's SQL apply the same rule at send time.
 */
export function effectiveSubscription(
  category: { class: MessageClassValue; required: boolean; defaultSubscribed: boolean },
  explicit: boolean | undefined,
  contact: { promotionalDefaults: boolean },
): boolean {
  if (category.required) return true;
  if (explicit !== undefined) return explicit;
  return category.defaultSubscribed && (category.class !== 'promotional' || contact.promotionalDefaults);
}
