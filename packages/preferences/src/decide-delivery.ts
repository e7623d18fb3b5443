export type MessageClassValue = 'transactional' | 'promotional';

type DeliveryBlockReason =
  | 'no-address'
  | 'hard-bounce'
  | 'soft-bounce-limit'
  | 'manual'
  | 'complaint'
  | 'erased-address'
  | 'category-opt-out'
  | 'all-promotional-opt-out'
  | 'no-consent';

export type DeliveryDecisionInput = {
  messageClass: MessageClassValue;
  categoryRequired: boolean;
  /** The effective choice: the contact's explicit one (a preferences row), else the category's default. */
  categorySubscribed: boolean;
  /** Whether categorySubscribed is the contact's explicit choice rather than the category's default. */
  categoryExplicit: boolean;
  /**
   * False for a contact created by a send (POST /v1/messages `to: { email }`, a campaign's test send):
   * a promotional category's default is no consent for it until it subscribes explicitly.
   */
  promotionalDefaults: boolean;
  /** A campaign's test send: one address chosen by a person, sent to unless it opted out. */
  testSend: boolean;
  allPromotionalOptOut: boolean;
  complained: boolean;
  /** The address belonged to a contact who was erased: it may not be re-subscribed to promotional mail. */
  addressErased: boolean;
  hardBounced: boolean;
  /** HERALD_SOFT_BOUNCE_LIMIT soft bounces in a row: as undeliverable as a hard bounce until removed. */
  softBounceLimited: boolean;
  /** An operator put the address on the suppression list (POST /v1/suppressions): no mail at all. */
  manuallySuppressed: boolean;
  hasAddress: boolean;
};

type DeliveryDecision = { allowed: true } | { allowed: false; reason: DeliveryBlockReason };

/**
 * The one place that decides whether a message may be sent (docs/architecture.md, "The delivery decision").
 * Reasons are checked from the most to the least fundamental, so a report shows why a
 * message could never have gone out before it shows a preference.
 */
export function decideDelivery(input: DeliveryDecisionInput): DeliveryDecision {
  if (!input.hasAddress) return { allowed: false, reason: 'no-address' };
  if (input.hardBounced) return { allowed: false, reason: 'hard-bounce' };
  if (input.softBounceLimited) return { allowed: false, reason: 'soft-bounce-limit' };
  if (input.manuallySuppressed) return { allowed: false, reason: 'manual' };

  const isPromotional = input.messageClass === 'promotional';
  if (isPromotional && input.complained) return { allowed: false, reason: 'complaint' };
  if (isPromotional && input.addressErased) return { allowed: false, reason: 'erased-address' };
  if (isPromotional && input.allPromotionalOptOut) {
    return { allowed: false, reason: 'all-promotional-opt-out' };
  }
  // A contact created by a send never asked for marketing: defaults are not its consent. A test send
  // asks for none either, and creates none.
  const defaultsAreConsent = input.promotionalDefaults || input.testSend;
  if (isPromotional && !input.categoryExplicit && !defaultsAreConsent) {
    return { allowed: false, reason: 'no-consent' };
  }
  // Opting out of a required category is impossible, so a stray "unsubscribed" value on
  // one (a row written before the category became required) must not block it.
  const isRequired = !isPromotional && input.categoryRequired;
  if (!isRequired && !input.categorySubscribed) return { allowed: false, reason: 'category-opt-out' };

  return { allowed: true };
}
