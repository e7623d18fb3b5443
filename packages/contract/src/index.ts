export * from './common.js';
export * from './contacts.js';
export * from './categories.js';
export * from './templates.js';
export * from './messages.js';
export * from './campaigns.js';
export * from './policies.js';
export * from './notices.js';
export * from './feedback.js';
export * from './suppressions.js';
export { ROUTES, type Route } from './routes.js';
export { buildOpenApiDocument } from './build-openapi-document.js';
export { type WallClock, wallClock } from './wall-clock.js';
export { zonedTimeToInstant } from './zoned-time-to-instant.js';
export { dateTimeInstant } from './date-time-instant.js';
export {
  ADMIN_ROLES,
  ROLE_POWERS,
  roleAllows,
  SCOPES,
  SCOPE_DESCRIPTIONS,
  WEB_SCOPES,
  type AdminRoleName,
  type RolePowers,
  type Scope,
} from './scopes.js';
export * from './api-keys.js';
export {
  AUDIT_LOG_CSV_COLUMNS,
  ListAuditLogSchema,
  type AuditLogEntryView,
  type ListAuditLogInput,
} from './audit-log.js';
export {
  CONSENT_LOG_CSV_COLUMNS,
  CONTACTS_CSV_COLUMNS,
  ExportConsentLogSchema,
  ExportContactsSchema,
  type ExportConsentLogInput,
} from './exports.js';
export {
  IMPORT_ERRORS_CSV_COLUMNS,
  IMPORT_STATUSES,
  ImportIdSchema,
  ImportQuerySchema,
  ImportRowSchema,
  type ImportQueryInput,
  type ImportResult,
  type ImportPreviewRow,
  type ImportView,
  type ImportState,
  IMPORT_STATES,
  ListImportsSchema,
  type ImportRow,
} from './imports.js';
export {
  CreateSubscribeFormSchema,
  SUBSCRIBE_FORM_FIELDS,
  type CreateSubscribeFormInput,
  type SubscribeFormField,
  type SubscribeFormView,
} from './forms.js';
export {
  CreateWebhookSchema,
  ListWebhookDeliveriesSchema,
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENTS,
  type CreatedWebhookEndpoint,
  type CreateWebhookInput,
  type EnabledWebhookEndpoint,
  type WebhookDeliveryStatus,
  type WebhookDeliveryView,
  type WebhookEndpointView,
  type WebhookEvent,
} from './webhooks.js';
export * from './conformance.js';
export { VerifyEvidenceSchema, type VerifyEvidenceInput } from './evidence.js';
