import { type Caller, hasScope, lacksScope } from './caller.js';
import { DomainError } from './domain-error.js';
import type { ScopeRequirement } from './require-scope.decorator.js';

/**
 * Whether the caller may call a route that needs `required` with `method`. A route that declares no
 * scope is refused to every caller but HERALD_API_KEY: a handler added without a scope fails closed.
 * A read-only caller (a viewer's console session) is refused every method but GET and HEAD, except
 * on routes that declare they only read (previews).
 */
export function authorizeRoute(caller: Caller, required: ScopeRequirement | undefined, method = 'GET'): void {
  if (!required) {
    if (caller.bootstrap) return;
    throw new DomainError('forbidden', 'This route declares no scope: only HERALD_API_KEY may call it.');
  }
  if (caller.readOnly && !['GET', 'HEAD'].includes(method.toUpperCase()) && !required.reads) {
    throw new DomainError(
      'forbidden',
      `The ${caller.role ?? 'read-only'} role only reads: it changes nothing.`,
    );
  }
  if (hasScope(caller, required.scope)) return;
  if (required.narrower && hasScope(caller, required.narrower)) return;
  throw lacksScope(required.scope);
}
