/**
 * What a caller can get wrong, as the domain names it. The HTTP edge (http-exception.filter.ts)
 * gives each code its status; domain code never deals in statuses.
 */
export type ErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'contact_erased'
  | 'version_exists'
  | 'invalid_transition'
  | 'idempotency_key_reused'
  | 'policy_already_effective'
  | 'unknown_template'
  | 'unknown_contact'
  | 'unknown_category'
  | 'not_promotional'
  | 'audience_without_template_category'
  | 'audience_category_not_promotional'
  | 'send_at_required'
  | 'send_at_in_past'
  | 'effective_date_in_past'
  | 'effective_date_too_soon'
  | 'category_mismatch'
  | 'reserved_variable'
  | 'fixture_does_not_render'
  | 'variant_variables'
  | 'invalid_signature'
  | 'webhook_not_configured'
  | 'not_suppressed';

/**
 * The one error type domain code throws for a caller's mistake; the HTTP edge answers it as
 * `{ error: { code, message, details? } }`.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, id: string) =>
  new DomainError('not_found', `No ${what} with id "${id}".`);
