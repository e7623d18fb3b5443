// @herald/preferences: the consent domain. Nothing else decides who may receive what.

export { decideDelivery } from './decide-delivery.js';

export { parseSigningKeys } from './signing-keys.js';
export type { SigningKey } from './signing-keys.js';
export { signToken, verifyToken } from './url-token.js';
export type { TokenPayload, TokenScope, VerifiedTokenPayload } from './url-token.js';
export { signConfirmationToken, verifyConfirmationToken } from './confirmation-token.js';
export type { ConfirmationPayload } from './confirmation-token.js';
export { OPT_IN_LINK_MAX_AGE_DAYS, isLinkRevoked, linkReachesOptIn, preferenceLink } from './link-reach.js';
export type { ConsentLink } from './link-reach.js';
export { signMailtoToken, verifyMailtoToken } from './mailto-token.js';
export { MAX_TRACKED_URL_BYTES, isTrackableUrl, signClickToken, verifyClickToken } from './click-token.js';
export type { ClickTokenPayload } from './click-token.js';
export { parseBounceAddress, signBounceToken, verifyBounceToken } from './bounce-token.js';

export { buildListUnsubscribeHeaders } from './build-list-unsubscribe-headers.js';
export { preferenceLinks } from './preference-links.js';

export { addressHashes, hashAddress, normalizeAddress } from './hash-address.js';
export { effectiveSubscription } from './effective-subscription.js';
export { useAddressHashKey } from './address-hash-key.js';
export { addressHashMatchSql } from './address-hash-sql.js';
export { hashClientIp } from './hash-client-ip.js';
export { clientNetwork } from './client-network.js';

export { PreferencesError, isPreferencesError } from './preferences-error.js';
export type { ConsentSourceValue } from './consent-source.js';

export { loadDeliveryStates } from './load-delivery-state.js';
export type { DeliveryState } from './load-delivery-state.js';
export { getPreferences } from './get-preferences.js';
export type { CategoryPreference, Preferences } from './get-preferences.js';
export { updatePreferences } from './update-preferences.js';
export type { ConsentChange } from './update-preferences.js';
export { applyUnsubscribe } from './apply-unsubscribe.js';
export { revokeLinks } from './revoke-links.js';
export { suppressAddress } from './suppress-address.js';
export { unsuppressAddress } from './unsuppress-address.js';
export { recordFeedback } from './record-feedback.js';
export type {
  FeedbackChannel,
  FeedbackEffect,
  FeedbackInput,
  FeedbackKind,
  FeedbackResult,
} from './record-feedback.js';
export { eraseContact } from './erase-contact.js';
export { waitForInFlightDeliveries } from './wait-for-in-flight-deliveries.js';

// The tamper-evident consent log (decision 023): encodings, anchors, verification.
export {
  anchorStatement,
  merkleRoot,
  personalHash,
  rowHash,
  verifyEvidence,
  writeAnchor,
} from './evidence/index.js';
export type { EvidenceProblem, EvidenceReport, WrittenAnchor } from './evidence/index.js';
