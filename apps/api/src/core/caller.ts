import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Scope } from '@herald/contract';
import type { Request } from 'express';
import { DomainError } from './domain-error.js';

/**
 * Who is calling the API, as the guard (api-key.guard.ts) established it, and what they may do.
 * Handlers that record who did something (the audit log) or narrow what a scope allows take it
 * with `@CurrentCaller()`.
 */
export interface Caller {
  /** As the audit log names it: "bootstrap-key", "web-key", "key:{name}" or "admin:{email}". */
  readonly actor: string;
  /** Every scope, or the ones this key was given. */
  readonly scopes: 'all' | ReadonlySet<string>;
  /** HERALD_API_KEY: the only caller a route that declares no scope admits (fail closed). */
  readonly bootstrap: boolean;
  /** A console session of a read-only role (viewer): only routes that read admit it. */
  readonly readOnly?: boolean;
  /**
   * The classes of templates the caller may save, when narrower than both: a console session's role
   * (a marketer saves promotional templates, an operator transactional ones).
   */
  readonly templateClasses?: ReadonlySet<'transactional' | 'promotional'>;
  /** A console session's role, as the audit log and the refusals name it. */
  readonly role?: string;
}

const CALLER = Symbol('herald.caller');

type WithCaller = Request & { [CALLER]?: Caller };

export function setCaller(request: Request, caller: Caller): void {
  (request as WithCaller)[CALLER] = caller;
}

/** The caller the guard found, if the request went through it (the request log names it). */
export function readCaller(request: Request): Caller | undefined {
  return (request as WithCaller)[CALLER];
}

/** The guard sets the caller before any handler under it runs. */
export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext): Caller => {
  const caller = (context.switchToHttp().getRequest<Request>() as WithCaller)[CALLER];
  if (!caller) throw new Error('CurrentCaller: the request has not been through the API key guard');
  return caller;
});

/** `admin` is every scope: keys and everything else. */
export const hasScope = (caller: Caller, scope: Scope): boolean =>
  caller.scopes === 'all' || caller.scopes.has(scope) || caller.scopes.has('admin');

export const lacksScope = (scope: Scope, why = '') =>
  new DomainError('forbidden', `This key lacks the scope "${scope}".${why ? ` ${why}` : ''}`);

/** A person signed in to the console (`Authorization: Console …`), as opposed to an API key: only a console session has a role. */
export const isConsoleCaller = (caller: Caller): boolean => caller.role !== undefined;
