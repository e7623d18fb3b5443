import type { z } from 'zod';
import {
  AudiencePreviewSchema,
  CreateCampaignSchema,
  ListCampaignsSchema,
  PreviewCampaignSchema,
  ScheduleCampaignSchema,
  TestSendSchema,
  ReportQuerySchema,
  TimelineSchema,
} from './campaigns.js';
import { CreateCategorySchema, UpdateCategorySchema } from './categories.js';
import { ReportFeedbackSchema } from './feedback.js';
import {
  SearchContactsSchema,
  UpdateContactSchema,
  UpdatePreferencesSchema,
  UpsertContactSchema,
} from './contacts.js';
import { ListMessagesSchema, SendMessageBatchDocumentSchema, SendMessageSchema } from './messages.js';
import { ListNoticesSchema } from './notices.js';
import { AnnouncePolicySchema, CreatePolicySchema, ListPoliciesSchema } from './policies.js';
import { PreviewTemplateSchema, SaveTemplateSchema } from './templates.js';
import { CreateApiKeySchema } from './api-keys.js';
import { ListAuditLogSchema } from './audit-log.js';
import { VerifyEvidenceSchema } from './evidence.js';
import { ExportConsentLogSchema, ExportContactsSchema } from './exports.js';
import { ConformanceQuerySchema } from './conformance.js';
import { ImportQuerySchema, ListImportsSchema } from './imports.js';
import { CreateWebhookSchema, ListWebhookDeliveriesSchema } from './webhooks.js';
import { CreateSubscribeFormSchema } from './forms.js';
import type { Scope } from './scopes.js';
import {
  AddSuppressionSchema,
  FeedbackRatesQuerySchema,
  ListFeedbackReportsSchema,
  ListSuppressionsSchema,
  RemoveSuppressionSchema,
} from './suppressions.js';

export interface Route {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI form: `{id}` for a path parameter. */
  path: string;
  /** The scope a key needs (every /v1 route names one; routes outside /v1 authenticate their own way). */
  scope?: Scope;
  /** A narrower scope that also admits the route, for part of what it does (say which). */
  narrowerScope?: { scope: Scope; allows: string };
  summary: string;
  body?: z.ZodType;
  query?: z.ZodObject;
  /** The success status when it is not 200. */
  status?: number;
  /** What a success answers, naming the contract's type. */
  response: string;
}

/** Every route of the HTTP API: the OpenAPI document at /docs is built from this table. */
export const ROUTES: readonly Route[] = [
  {
    method: 'get',
    path: '/health',
    summary:
      'Whether PostgreSQL and Redis answer (no auth): 503 when either does not; 200 with status "degraded" and smtpUnavailableSince while the SMTP relay refuses connections (mail is held), and promotionalSmtpUnavailableSince while the promotional relay (PROMOTIONAL_SMTP_URL) does (promotional mail is held).',
    response:
      '{ status, database, redis, smtp?, smtpUnavailableSince?, promotionalSmtp?, promotionalSmtpUnavailableSince? }',
  },
  {
    method: 'post',
    path: '/v1/contacts',
    scope: 'contacts:write',
    summary: 'Create or update a contact by email (or externalId).',
    body: UpsertContactSchema,
    status: 201,
    response: 'ContactView',
  },
  {
    method: 'get',
    path: '/v1/contacts',
    scope: 'contacts:read',
    summary:
      'Find contacts, newest first: q is the start of an address, a whole external id, or the start of a name (any case); erased contacts are listed with erasedAt and no address; `next` pages on.',
    query: SearchContactsSchema,
    response: 'ContactSearchResult',
  },
  {
    method: 'get',
    path: '/v1/contacts/{id}/export',
    scope: 'contacts:read',
    narrowerScope: { scope: 'self-export', allows: 'the web app, for the person signed in to /account' },
    summary:
      'Everything Herald holds about a contact (GDPR Art. 15) as JSON: the contact, preferences, consent log, suppressions of its address, messages with their events, notices, feedback reports, sign-in links. Written to the audit log; 404 for an erased contact.',
    response: 'ContactExport',
  },
  {
    method: 'get',
    path: '/v1/contacts/{id}',
    scope: 'contacts:read',
    summary: 'Read a contact.',
    response: 'ContactView',
  },
  {
    method: 'patch',
    path: '/v1/contacts/{id}',
    scope: 'contacts:write',
    summary: 'Update a contact.',
    body: UpdateContactSchema,
    response: 'ContactView',
  },
  {
    method: 'delete',
    path: '/v1/contacts/{id}',
    scope: 'contacts:write',
    summary: 'Erase a contact: personal data removed, the address stays suppressed by its hash.',
    response: '{ id, erased: true }',
  },
  {
    method: 'get',
    path: '/v1/contacts/{id}/preferences',
    scope: 'contacts:read',
    summary:
      'A contact\'s preferences per category, the all-promotional switch and whether they chose "don\'t track my clicks" (clickTrackingOff).',
    response: 'the preferences per category, allPromotional and clickTrackingOff',
  },
  {
    method: 'put',
    path: '/v1/contacts/{id}/preferences',
    scope: 'contacts:write',
    summary:
      'A support agent records a change (source "admin" in the consent log): categories, allPromotional, or clickTrackingOff (logged as tracking_off / tracking_on).',
    body: UpdatePreferencesSchema,
    response: '{ changed, clickTrackingOff?, preferences }',
  },
  {
    method: 'post',
    path: '/v1/contacts/{id}/revoke-links',
    scope: 'contacts:write',
    summary:
      'Revoke every preference link mailed to the contact so far (a forwarded newsletter, a leaked link): they still unsubscribe, but can no longer subscribe or show the preference center.',
    response: '{ id, tokenEpoch }',
  },
  {
    method: 'get',
    path: '/v1/contacts/{id}/consent-log',
    scope: 'contacts:read',
    summary: "The contact's append-only consent history.",
    response: '{ entries }',
  },
  {
    method: 'get',
    path: '/v1/categories',
    scope: 'templates',
    summary: 'List categories.',
    response: '{ categories: CategoryView[] }',
  },
  {
    method: 'post',
    path: '/v1/categories',
    scope: 'templates',
    summary:
      'Create a category, optionally with `translations`: its name and description by language tag ({ "de": { "name", "description"? } }), shown on the recipient pages. trackClicks (links wrapped in signed redirects, clicks counted) defaults to true for promotional categories and false for transactional ones; a required category cannot be tracked (400).',
    body: CreateCategorySchema,
    response: 'CategoryView',
  },
  {
    method: 'patch',
    path: '/v1/categories/{key}',
    scope: 'templates',
    summary:
      "Change a category's name, description, translations (by language tag, replaced whole), defaultSubscribed or trackClicks; its class and required flag stay as created, and turning trackClicks on for a required category is refused (400). Written to the audit log.",
    body: UpdateCategorySchema,
    response: 'CategoryView',
  },
  {
    method: 'get',
    path: '/v1/templates',
    scope: 'templates',
    summary: 'List the latest version of each template.',
    response: '{ templates: TemplateView[] }',
  },
  {
    method: 'post',
    path: '/v1/templates',
    scope: 'templates',
    summary: 'Create a template or add a version (MJML validated strictly).',
    body: SaveTemplateSchema,
    response: 'TemplateView',
  },
  {
    method: 'get',
    path: '/v1/template-locales',
    scope: 'templates',
    summary:
      "Each category's templates with their translations, the languages contacts read that they lack, and the last 30 days' fallbacks to the default.",
    response: 'TemplateLocalesView',
  },
  {
    method: 'get',
    path: '/v1/templates/{key}',
    scope: 'templates',
    summary: 'Read the latest version, its variables and a fixture that renders.',
    response: 'TemplateView',
  },
  {
    method: 'post',
    path: '/v1/templates/{key}/preview',
    scope: 'templates',
    summary: 'Render with data (or the fixture).',
    body: PreviewTemplateSchema,
    response: 'RenderedEmail',
  },
  {
    method: 'post',
    path: '/v1/messages',
    scope: 'messages:send',
    narrowerScope: {
      scope: 'sign-in:send',
      allows: 'the security-sign-in template only, to a contactId, with a signInUrl on PUBLIC_WEB_URL',
    },
    summary: 'Send one message; the class comes from the template category.',
    body: SendMessageSchema,
    status: 202,
    response: '{ id, status }',
  },
  {
    method: 'post',
    path: '/v1/messages/batch',
    scope: 'messages:send',
    summary:
      'Send up to 1,000 messages, each a single send with its own idempotency key; one result per item, in order: { id, status } or its own { error } (a bad item never fails the others).',
    body: SendMessageBatchDocumentSchema,
    response: '{ results: ({ id, status } | { error: { code, message, details? } })[] }',
  },
  {
    method: 'get',
    path: '/v1/messages',
    scope: 'messages:read',
    summary: 'List messages.',
    query: ListMessagesSchema,
    response: '{ messages: MessageView[], next }',
  },
  {
    method: 'get',
    path: '/v1/messages/{id}',
    scope: 'messages:read',
    summary: 'A message, its status, reason and events.',
    response: 'MessageView',
  },
  {
    method: 'post',
    path: '/v1/campaigns',
    scope: 'campaigns',
    summary: 'Create a campaign (scheduled when sendAt is given).',
    body: CreateCampaignSchema,
    status: 201,
    response: 'CampaignView',
  },
  {
    method: 'get',
    path: '/v1/campaigns',
    scope: 'campaigns',
    summary: 'List campaigns with their status and counts.',
    query: ListCampaignsSchema,
    response: '{ campaigns: CampaignView[], next }',
  },
  {
    method: 'post',
    path: '/v1/campaigns/audience-preview',
    scope: 'campaigns',
    summary: 'How many contacts an audience would reach now.',
    body: AudiencePreviewSchema,
    response: 'AudienceSize',
  },
  {
    method: 'get',
    path: '/v1/campaigns/{id}',
    scope: 'campaigns',
    summary:
      'A campaign: status and counts (targeted, queued, sent, suppressed, failed, bounced, unsubscribes); pausedReason (complaint-rate, bounce-rate, blocked) when it paused itself, and guardrails (messages that left, complaints, hard bounces, rates, the blocked run, the limits).',
    response: 'CampaignView',
  },
  {
    method: 'get',
    path: '/v1/campaigns/{id}/timeline',
    scope: 'campaigns',
    summary: 'Messages over time, for the progress chart.',
    query: TimelineSchema,
    response: 'CampaignTimeline',
  },
  {
    method: 'get',
    path: '/v1/campaigns/{id}/report',
    scope: 'campaigns',
    summary:
      'What happened to the campaign: delivered, bounces, unique human clicks and click rate, top links, unsubscribes and complaints per thousand delivered, machine clicks (scanners and prefetchers, never counted as people), clicks over time and by contact locale. format=csv answers it as CSV (section, item, metric, value).',
    query: ReportQuerySchema,
    response: 'CampaignReport',
  },
  {
    method: 'get',
    path: '/v1/campaigns/{id}/report.csv',
    scope: 'campaigns',
    summary: 'The campaign report as CSV (section, item, metric, value).',
    response: 'text/csv',
  },
  {
    method: 'post',
    path: '/v1/campaigns/{id}/schedule',
    scope: 'campaigns',
    summary: 'Schedule a draft.',
    body: ScheduleCampaignSchema,
    response: 'CampaignView',
  },
  {
    method: 'post',
    path: '/v1/campaigns/{id}/pause',
    scope: 'campaigns',
    summary: 'Pause sending (takes effect within a second).',
    response: 'CampaignView',
  },
  {
    method: 'post',
    path: '/v1/campaigns/{id}/resume',
    scope: 'campaigns',
    summary:
      'Resume a paused campaign; clears pausedReason (a campaign a guardrail paused pauses again at the next complaint or bounce that finds its rate still over the limit).',
    response: 'CampaignView',
  },
  {
    method: 'post',
    path: '/v1/campaigns/{id}/cancel',
    scope: 'campaigns',
    summary: 'Cancel: nothing more is sent.',
    response: 'CampaignView',
  },
  {
    method: 'post',
    path: '/v1/campaigns/{id}/preview',
    scope: 'campaigns',
    summary: 'Render the campaign email with sample data.',
    body: PreviewCampaignSchema,
    response: 'RenderedEmail',
  },
  {
    method: 'post',
    path: '/v1/campaigns/{id}/test-send',
    scope: 'campaigns',
    summary: 'Send the campaign email to one address.',
    body: TestSendSchema,
    response: 'the test message',
  },
  {
    method: 'post',
    path: '/v1/policies',
    scope: 'policies',
    summary:
      'A policy version; refused when effectiveAt is sooner than HERALD_POLICY_NOTICE_DAYS unless overridden with a reason. ' +
      'effectiveAt is an instant ("2026-03-01T00:00:00Z") or a wall-clock time in timezone ("2026-03-01T09:00").',
    body: CreatePolicySchema,
    status: 201,
    response: 'PolicyVersionView',
  },
  {
    method: 'get',
    path: '/v1/policies',
    scope: 'policies',
    narrowerScope: { scope: 'notices', allows: 'announced and effective versions only' },
    summary: 'List policy versions (filter by status).',
    query: ListPoliciesSchema,
    response: '{ policies: PolicyVersionView[] }',
  },
  {
    method: 'get',
    path: '/v1/policies/{id}',
    scope: 'policies',
    summary: 'A policy version and the version before it.',
    response: 'PolicyVersionView',
  },
  {
    method: 'post',
    path: '/v1/policies/{id}/announce',
    scope: 'policies',
    summary: 'Notify every contact (email and in-app notice); idempotent.',
    body: AnnouncePolicySchema,
    status: 202,
    response: 'PolicyVersionView and alreadyAnnounced',
  },
  {
    method: 'get',
    path: '/v1/policies/{id}/coverage',
    scope: 'policies',
    summary: 'Who was notified, delivered, failed, in-app only, acknowledged; at risk.',
    response: 'PolicyCoverage',
  },
  {
    method: 'get',
    path: '/v1/contacts/{contactId}/notices',
    scope: 'notices',
    summary: "A contact's in-app notices.",
    query: ListNoticesSchema,
    response: '{ notices: NoticeView[] }',
  },
  {
    method: 'post',
    path: '/v1/contacts/{contactId}/notices/{noticeId}/ack',
    scope: 'notices',
    summary: 'Acknowledge an in-app notice.',
    response: 'NoticeView',
  },
  {
    method: 'post',
    path: '/v1/feedback',
    scope: 'feedback',
    summary:
      'Report a bounce or complaint from a source without a webhook (same effects as a DSN or ARF report); ' +
      'messageId or email or both; an unknown messageId is kept unmatched and changes nothing.',
    body: ReportFeedbackSchema,
    status: 202,
    response: 'FeedbackReportView: { id, matched, effect }',
  },
  {
    method: 'post',
    path: '/hooks/ses',
    summary:
      'Amazon SES bounce, complaint and delivery notifications through an SNS HTTPS subscription (no API key: the SNS ' +
      'signature is verified against its amazonaws.com certificate; SubscriptionConfirmation is confirmed). 401 when it does not verify.',
    response: '{ received, applied, duplicates, ignored } or { confirmed: true }',
  },
  {
    method: 'post',
    path: '/hooks/sendgrid',
    summary:
      'SendGrid Signed Event Webhook (no API key: ECDSA signature with HERALD_SENDGRID_PUBLIC_KEY, timestamp within 5 minutes). ' +
      '401 when it does not verify or the key is not set.',
    response: '{ received, applied, duplicates, ignored }',
  },
  {
    method: 'post',
    path: '/hooks/postmark',
    summary:
      'Postmark Bounce, SpamComplaint and Delivery webhooks (no API key: basic auth HERALD_POSTMARK_WEBHOOK_AUTH). 401 without it.',
    response: '{ received, applied, duplicates, ignored }',
  },
  {
    method: 'post',
    path: '/hooks/mailgun',
    summary:
      'Mailgun webhooks (no API key: HMAC-SHA256 signature with HERALD_MAILGUN_SIGNING_KEY, timestamp within 5 minutes). ' +
      '401 when it does not verify or the key is not set.',
    response: '{ received, applied, duplicates, ignored }',
  },
  {
    method: 'get',
    path: '/v1/suppressions',
    scope: 'contacts:read',
    summary:
      'The suppression list, newest first: filter by reason; q is an address (exact, by its hash) or the start of a contact’s address.',
    query: ListSuppressionsSchema,
    response: 'SuppressionList',
  },
  {
    method: 'post',
    path: '/v1/suppressions',
    scope: 'contacts:write',
    narrowerScope: { scope: 'suppressions', allows: 'the whole route (an operator’s console role)' },
    summary:
      'Suppress an address (manual blocks all mail, like hard-bounce; complaint blocks promotional mail): 201, or 200 when it already was for that reason.',
    body: AddSuppressionSchema,
    status: 201,
    response: '{ created, suppression: SuppressionView }',
  },
  {
    method: 'delete',
    path: '/v1/suppressions/{address}',
    scope: 'contacts:write',
    narrowerScope: { scope: 'suppressions', allows: 'the whole route (an operator’s console role)' },
    summary:
      'Lift an address’s suppressions (or `only` one), with a written reason (body or query) logged as unsuppress; 404 not_suppressed when there is none; an erasure is never lifted (409 erasure_not_removable).',
    body: RemoveSuppressionSchema,
    response: 'RemovedSuppressions',
  },
  {
    method: 'get',
    path: '/v1/feedback/reports',
    scope: 'feedback',
    summary: 'The latest bounce, complaint and delivery reports, matched or not, newest first.',
    query: ListFeedbackReportsSchema,
    response: 'FeedbackReportList',
  },
  {
    method: 'get',
    path: '/v1/feedback/rates',
    scope: 'feedback',
    summary:
      'Hard-bounce and complaint rates per stream and per campaign, per hour or day: per message sent in the bucket.',
    query: FeedbackRatesQuerySchema,
    response: 'FeedbackRates',
  },
  {
    method: 'post',
    path: '/v1/api-keys',
    scope: 'admin',
    summary:
      'Create a named key with scopes; the key is in this answer only (only its SHA-256 is kept). Written to the audit log.',
    body: CreateApiKeySchema,
    status: 201,
    response: 'CreatedApiKey: ApiKeyView and key',
  },
  {
    method: 'get',
    path: '/v1/api-keys',
    scope: 'admin',
    summary:
      'Every key, revoked ones too: name, prefix, scopes, createdAt, lastUsedAt (to the minute), revokedAt.',
    response: '{ apiKeys: ApiKeyView[] }',
  },
  {
    method: 'delete',
    path: '/v1/api-keys/{id}',
    scope: 'admin',
    summary:
      'Revoke a key: it gets 401 from then on (within a few seconds on every API process). Written to the audit log; idempotent.',
    response: 'ApiKeyView',
  },
  {
    method: 'get',
    path: '/v1/audit-log',
    scope: 'audit',
    summary:
      'Who changed what through the console or the API, newest first: filter by actor and action (exact, or a prefix ending in ":" or "."), target, from/to (dates or instants); `next` pages on. format=csv downloads every matching row.',
    query: ListAuditLogSchema,
    response: '{ entries: AuditLogEntryView[], next: string | null } or text/csv',
  },
  {
    method: 'post',
    path: '/v1/imports',
    scope: 'contacts:write',
    summary:
      'Import contacts and the unsubscribes an old system collected, streamed: a text/csv body (header line first) or application/x-ndjson (one object per line) with email, name, externalId, locale, timezone, status (subscribed, unsubscribed, suppressed), consentedAt, source and attr.{name} columns. `subscribed` rows are subscribed to `categories` with `basis` as proof, except addresses Herald knows are unsubscribed, suppressed or erased (keptUnsubscribed). Bad rows are reported by line; dryRun=true writes nothing and previews the first rows. `map` renames the file\'s columns (a JSON object, e.g. {"E-mail":"email","Plan":"attr.plan"}). background=true stages the rows, answers 202 with the ImportView, and a worker applies them (resumed after a crash, no row twice). Written to the audit log.',
    query: ImportQuerySchema,
    response: 'ImportResult, or 202 ImportView with background=true',
  },
  {
    method: 'get',
    path: '/v1/imports',
    scope: 'contacts:read',
    summary: 'The latest imports, newest first, with their progress and counts.',
    query: ListImportsSchema,
    response: '{ imports: ImportView[] }',
  },
  {
    method: 'get',
    path: '/v1/imports/{id}',
    scope: 'contacts:read',
    summary: 'One import: queued, running (rows processed and an ETA) or finished (its counts).',
    response: 'ImportView',
  },
  {
    method: 'get',
    path: '/v1/imports/{id}/errors',
    scope: 'contacts:read',
    summary: 'The rows of an import that were not applied, as CSV: line, message.',
    response: 'text/csv',
  },
  {
    method: 'post',
    path: '/v1/forms',
    scope: 'contacts:write',
    summary:
      'Create a subscribe form: its hosted page /subscribe/{key} and embeddable snippet subscribe an address to its promotional categories once the address confirms by mail. Written to the audit log.',
    body: CreateSubscribeFormSchema,
    status: 201,
    response: 'SubscribeFormView',
  },
  {
    method: 'get',
    path: '/v1/forms',
    scope: 'contacts:read',
    summary: 'Every subscribe form, newest first.',
    response: '{ forms: SubscribeFormView[] }',
  },
  {
    method: 'get',
    path: '/v1/forms/{key}',
    scope: 'contacts:read',
    summary: 'One subscribe form by its key.',
    response: 'SubscribeFormView',
  },
  {
    method: 'post',
    path: '/v1/forms/{key}/disable',
    scope: 'contacts:write',
    summary:
      'Disables a form: its hosted page and its posts answer 410, and a confirmation link it mailed subscribes nobody, until it is enabled again. 409 when it is disabled already. Written to the audit log.',
    response: 'SubscribeFormView',
  },
  {
    method: 'post',
    path: '/v1/forms/{key}/enable',
    scope: 'contacts:write',
    summary:
      'Enables a disabled form again: its page takes requests, and its unexpired confirmation links work again. 409 when it is not disabled. Written to the audit log.',
    response: 'SubscribeFormView',
  },
  {
    method: 'post',
    path: '/v1/webhooks',
    scope: 'admin',
    summary:
      'Registers an endpoint for the events it names (https; http only for localhost outside production). The answer carries its signing secret ("whsec_…"), shown this once. Written to the audit log.',
    body: CreateWebhookSchema,
    status: 201,
    response: 'CreatedWebhookEndpoint',
  },
  {
    method: 'get',
    path: '/v1/webhooks',
    scope: 'admin',
    summary: 'Every endpoint, newest first, without its secret; disabled ones carry when and why.',
    response: '{ webhooks: WebhookEndpointView[] }',
  },
  {
    method: 'delete',
    path: '/v1/webhooks/{id}',
    scope: 'admin',
    summary:
      'Removes an endpoint and its delivery log: nothing more is sent to it. Written to the audit log.',
    response: 'WebhookEndpointView',
  },
  {
    method: 'post',
    path: '/v1/webhooks/{id}/rotate-secret',
    scope: 'admin',
    summary:
      'A new signing secret, shown this once; the previous one signs beside it for 24 hours (two `v1,` signatures in webhook-signature). Written to the audit log.',
    response: 'CreatedWebhookEndpoint',
  },
  {
    method: 'post',
    path: '/v1/webhooks/{id}/enable',
    scope: 'admin',
    summary:
      'Enables again an endpoint the worker disabled after its retry window: its events that were not delivered (failed, or held pending while it was disabled) are sent again now, with a fresh retry window and the same webhook-id, in order per contact. 409 when the endpoint is not disabled (nothing changes). Written to the audit log.',
    response: 'EnabledWebhookEndpoint: WebhookEndpointView and requeued',
  },
  {
    method: 'get',
    path: '/v1/webhooks/{id}/deliveries',
    scope: 'admin',
    summary:
      'The delivery log of an endpoint, newest first: each event with its status, attempts, last status code or error and next attempt.',
    query: ListWebhookDeliveriesSchema,
    response: '{ deliveries: WebhookDeliveryView[] }',
  },
  {
    method: 'post',
    path: '/v1/webhooks/deliveries/{id}/resend',
    scope: 'admin',
    summary:
      'Sends a delivery again (same webhook-id), now and with a fresh retry window. Written to the audit log.',
    response: 'WebhookDeliveryView',
  },
  {
    method: 'get',
    path: '/v1/exports/contacts',
    scope: 'contacts:read',
    summary:
      'Every contact that is not erased with its consent now, as CSV streamed a page at a time: identity, the all-promotional switch, one yes/no column per category (`category:{key}`), the suppression reasons. Written to the audit log.',
    query: ExportContactsSchema,
    response: 'text/csv',
  },
  {
    method: 'get',
    path: '/v1/exports/consent-log',
    scope: 'contacts:read',
    summary:
      'The consent log entries written from `from` to `to` (dates, to inclusive, or instants), oldest first, as CSV streamed a page at a time: the proof of each opt-in and opt-out. Written to the audit log.',
    query: ExportConsentLogSchema,
    response: 'text/csv',
  },
  {
    method: 'get',
    path: '/v1/policies/{id}/evidence-pack',
    scope: 'policies',
    summary:
      "The version's evidence pack, a zip streamed as it is made: policy.json (the version, its notice, when the announcement started and ended, coverage), deliveries.ndjson (every contact's notice: message, SMTP reply and time, or why the in-app notice stood in, and its acknowledgement), at-risk.json (who was at risk at each day of the notice period), index.html, and manifest.json with every file's SHA-256 signed by HERALD_EVIDENCE_KEY (manifest.sig). `npm run verify-evidence-pack` checks it offline. Written to the audit log.",
    response: 'application/zip',
  },
  {
    method: 'get',
    path: '/v1/reports/conformance',
    scope: 'audit',
    summary:
      "The conformance report for `from` to `to` (dates, to inclusive, or instants): every opt-out by channel with the messages that started after it (the promise is none), every required message not sent and why, every campaign's complaint and bounce rates against the limits, every policy version's notice and coverage at its effective date.",
    query: ConformanceQuerySchema,
    response: 'ConformanceReport',
  },
  {
    method: 'get',
    path: '/.well-known/herald-evidence-key',
    summary:
      "The public key the consent log's anchors are signed with (no auth): its key id, PEM (SubjectPublicKeyInfo) and JWK (Ed25519). Decision 023 says how to verify an anchor with it offline.",
    response: '{ keyId, algorithm: "Ed25519", publicKeyPem, jwk }',
  },
  {
    method: 'get',
    path: '/v1/evidence/verify',
    scope: 'audit',
    summary:
      "Re-computes the consent log's hash chains and signed Merkle anchors for `from`–`to` (dates, to inclusive, or instants): ok, or the first row or anchor that does not match (its id, contact and what is wrong) and the gaps (rows removed: a link that does not match its predecessor, an anchor whose rows are missing).",
    query: VerifyEvidenceSchema,
    response:
      '{ ok, from, to, fromSeq, toSeq, rows, anchors, unanchoredRows, firstProblem, gaps, problems, problemCount, seconds }',
  },
];
