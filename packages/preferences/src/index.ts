// @herald/preferences: the consent domain. Nothing else decides who may receive what.

export { decideDelivery } from './decide-delivery.js';
export type {
  DeliveryBlockReason,
  DeliveryDecision,
  DeliveryDecisionInput,
  MessageClassValue,
} from './decide-delivery.js';

export { parseSigningKeys } from './signing-keys.js';
export type { SigningKey } from './signing-keys.js';
export { TokenPayloadSchema, TokenScopeSchema } from './token-payload.js';
export type { TokenPayload, TokenScope } from './token-payload.js';
export { signToken } from './sign-token.js';
export { verifyToken } from './verify-token.js';
export type { TokenVerification } from './verify-token.js';
export { signMailtoToken, verifyMailtoToken } from './mailto-token.js';
export type { MailtoTokenPayload, MailtoTokenVerification } from './mailto-token.js';

export { buildListUnsubscribeHeaders } from './build-list-unsubscribe-headers.js';
export type { ListUnsubscribeHeadersInput } from './build-list-unsubscribe-headers.js';
export { preferenceLinks } from './preference-links.js';
export type { PreferenceLinks } from './preference-links.js';

export { hashAddress, hashClientIp, normalizeAddress } from './hash-address.js';

export { PreferencesError, isPreferencesError } from './preferences-error.js';
export type { PreferencesErrorCode } from './preferences-error.js';
export {
  CONSENT_SOURCES,
  ConsentSourceValueSchema,
  fromPrismaConsentSource,
  toPrismaConsentSource,
} from './consent-source.js';
export type { ConsentSourceValue } from './consent-source.js';
export {
  SuppressionReasonValueSchema,
  fromPrismaSuppressionReason,
  toPrismaSuppressionReason,
} from './suppression-reason.js';
export type { SuppressionReasonValue } from './suppression-reason.js';
export type { ConsentChange } from './consent-change.js';
export type { DbClient } from './db-client.js';

export { loadDeliveryState, loadDeliveryStates } from './load-delivery-state.js';
export type { DeliveryState, DeliveryStateRequest } from './load-delivery-state.js';
export { getPreferences } from './get-preferences.js';
export type { CategoryPreference, Preferences } from './get-preferences.js';
export { updatePreferences, UpdatePreferencesOptionsSchema } from './update-preferences.js';
export type { UpdatePreferencesOptions } from './update-preferences.js';
export { applyUnsubscribe, ApplyUnsubscribeOptionsSchema } from './apply-unsubscribe.js';
export type { ApplyUnsubscribeOptions } from './apply-unsubscribe.js';
export { suppressAddress, SuppressAddressOptionsSchema } from './suppress-address.js';
export type { SuppressAddressOptions } from './suppress-address.js';
export { eraseContact, EraseContactOptionsSchema } from './erase-contact.js';
export type { EraseContactOptions } from './erase-contact.js';
export { isAddressSuppressed } from './is-address-suppressed.js';
export { waitForInFlightDeliveries } from './wait-for-in-flight-deliveries.js';
