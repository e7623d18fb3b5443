import type { Request } from 'express';

/**
 * Who is calling the API, as the guard (api-key.guard.ts) established it, and what they may do.
 * Handlers that record who did something (the audit log) or narrow what a scope allows read it
 * with `callerOf(request)`.
 */
export interface Caller {
  /** As the audit log names it: "bootstrap-key", "web-key", "key:{name}" or "admin:{email}". */
  readonly actor: string;
  /** Every scope, or the ones this key was given. */
  readonly scopes: 'all' | ReadonlySet<string>;
  /** HERALD_API_KEY: the only caller a route that declares no scope admits (fail closed). */
  readonly bootstrap: boolean;
}

const CALLER = Symbol('herald.caller');

type WithCaller = Request & { [CALLER]?: Caller };

export function setCaller(request: Request, caller: Caller): void {
  (request as WithCaller)[CALLER] = caller;
}

/** The guard sets the caller before any handler under it runs; a route without the guard has none. */
export function callerOf(request: Request): Caller {
  const caller = (request as WithCaller)[CALLER];
  if (!caller) throw new Error('callerOf: the request has not been through the API key guard');
  return caller;
}

export const hasScope = (caller: Caller, scope: string): boolean =>
  caller.scopes === 'all' || caller.scopes.has(scope);
