import { SetMetadata } from '@nestjs/common';
import type { Scope } from '@herald/contract';

export const SCOPE_METADATA = 'herald:scope';
export const PUBLIC_ROUTE_METADATA = 'herald:public-route';

export interface ScopeRequirement {
  scope: Scope;
  /** Also admits callers with this scope; the handler limits what they may do with the route. */
  narrower?: Scope;
  /** A POST that changes nothing (a preview): read-only callers may call it. */
  reads?: boolean;
}

/**
 * The scope a route needs, on each handler (the same one @herald/contract's route table names). The
 * guard refuses callers without it; a route that declares none admits only HERALD_API_KEY.
 */
export const RequireScope = (scope: Scope, options: { narrower?: Scope; reads?: boolean } = {}) =>
  SetMetadata(SCOPE_METADATA, { scope, ...options } satisfies ScopeRequirement);

/** A route outside the API key that authenticates its own way, or not at all (/health, /docs, /hooks). */
export const PublicRoute = () => SetMetadata(PUBLIC_ROUTE_METADATA, true);
