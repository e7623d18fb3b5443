/**
 * What an API key may do. Every /v1 route declares exactly one scope (routes.ts, and the API's
 * `@RequireScope` on each handler); a key without it gets 403 and the request changes nothing.
 * HERALD_API_KEY has every scope; a console session has its person's role's scopes (ROLE_SCOPES).
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
  'suppressions',
  'audit',
  'self-export',
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
  suppressions:
    'Add to and lift the suppression list (POST and DELETE /v1/suppressions) without contacts:write.',
  audit:
    'GET /v1/audit-log: who changed what, through the console or the API; GET /v1/evidence/verify: check the tamper-evident consent log.',
  'self-export':
    "GET /v1/contacts/{id}/export for the web app's /account page: the person signed in downloads their own data (the audit log names them).",
  admin: 'Everything, including creating, listing and revoking API keys.',
};

/**
 * The web app's own key (HERALD_WEB_API_KEY): sign-in mail, notices and the public policy page, and a
 * signed-in person's own export, nothing else.
 */
export const WEB_SCOPES: readonly Scope[] = ['sign-in:send', 'notices', 'self-export'];

/**
 * The console's roles (docs/decisions/016-console-roles.md). A console session calls the API with
 * its person's role's scopes, so the API refuses what the role may not do whatever page sent it;
 * the web app checks the same table in every loader and action.
 */
export const ADMIN_ROLES = ['owner', 'marketer', 'operator', 'support', 'viewer'] as const;

export type AdminRoleName = (typeof ADMIN_ROLES)[number];

export interface RolePowers {
  /** The API scopes a session of this role has. */
  readonly scopes: readonly Scope[];
  /** Only reads: the API refuses every other method, whatever the scope. */
  readonly readOnly: boolean;
  /** The classes of templates this role may save (owner: both). */
  readonly templateClasses: readonly ('transactional' | 'promotional')[];
  /** One line for the team page and the README. */
  readonly description: string;
}

export const ROLE_POWERS: Record<AdminRoleName, RolePowers> = {
  owner: {
    scopes: ['admin'],
    readOnly: false,
    templateClasses: ['transactional', 'promotional'],
    description: 'Everything, including team accounts and API keys.',
  },
  marketer: {
    scopes: ['campaigns', 'templates', 'messages:read'],
    readOnly: false,
    templateClasses: ['promotional'],
    description: 'Campaigns and promotional templates.',
  },
  operator: {
    scopes: ['policies', 'templates', 'feedback', 'suppressions', 'contacts:read', 'messages:read'],
    readOnly: false,
    templateClasses: ['transactional'],
    description: 'Policies, transactional templates, the suppression list and feedback settings.',
  },
  support: {
    scopes: ['contacts:read', 'contacts:write', 'messages:read', 'notices'],
    readOnly: false,
    templateClasses: [],
    description: 'Contacts: preferences (with a reason), suppressions, erasure and export.',
  },
  viewer: {
    scopes: ['campaigns', 'policies', 'templates', 'feedback', 'contacts:read', 'messages:read', 'audit'],
    readOnly: true,
    templateClasses: [],
    description: 'Reads everything the console shows, changes nothing.',
  },
};

/** Whether a role's session has `scope` (`admin` is every scope) and, for a change, is not read-only. */
export function roleAllows(role: AdminRoleName, scope: Scope, change: boolean): boolean {
  const powers = ROLE_POWERS[role];
  if (change && powers.readOnly) return false;
  return powers.scopes.includes('admin') || powers.scopes.includes(scope);
}
