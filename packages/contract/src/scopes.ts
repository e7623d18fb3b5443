/**
 * What an API key may do. Every /v1 route declares exactly one scope (routes.ts, and the API's
 * `@RequireScope` on each handler); a key without it gets 403 and the request changes nothing.
 * HERALD_API_KEY has every scope, and console sessions have every scope until roles arrive.
 */
export const SCOPES = [
  'messages:send',
  'messages:read',
  'contacts:read',
  'contacts:write',
  'templates',
  'campaigns',
  'policies',
  'feedback',
  'notices',
  'sign-in:send',
  'admin',
] as const;

export type Scope = (typeof SCOPES)[number];

/** What each scope allows, as the README's scope table and the OpenAPI document say it. */
export const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  'messages:send': 'POST /v1/messages: send any template.',
  'messages:read': 'GET /v1/messages and /v1/messages/{id}.',
  'contacts:read': 'Read contacts, their preferences and consent log, and the suppression list.',
  'contacts:write':
    'Create, update and erase contacts, record preference changes, add to and lift the suppression list.',
  templates:
    'Categories and templates: read, preview, create and add versions (required categories included; every save is in the audit log).',
  campaigns: 'Campaigns: create, preview, test-send, schedule, pause, resume, cancel, read.',
  policies: 'Policy versions: publish, announce, read, coverage.',
  feedback: 'POST /v1/feedback, and the feedback reports and rates.',
  notices:
    "A contact's in-app notices (read, acknowledge), and the announced and effective policy versions (the public policy page).",
  'sign-in:send':
    "POST /v1/messages for the web app's own mails only (security-sign-in, consent-confirmation), to a known contactId, with a link to the web app's page for it.",
  admin: 'Everything, including creating, listing and revoking API keys.',
};

/** The web app's own key (HERALD_WEB_API_KEY): sign-in mail, notices and the public policy page, nothing else. */
export const WEB_SCOPES: readonly Scope[] = ['sign-in:send', 'notices'];
