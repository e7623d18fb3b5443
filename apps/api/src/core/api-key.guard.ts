import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ApiEnv } from '@herald/config';
import { WEB_SCOPES } from '@herald/contract';
import type { Db } from '@herald/db';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiKeyLookup } from './api-key-lookup.js';
import { authorizeRoute } from './authorize-route.js';
import { type Caller, setCaller } from './caller.js';
import { DomainError } from './domain-error.js';
import { findConsoleSession } from './find-console-session.js';
import { API_ENV, PRISMA } from './injection-tokens.js';
import { PUBLIC_ROUTE_METADATA, SCOPE_METADATA, type ScopeRequirement } from './require-scope.decorator.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

const BOOTSTRAP: Caller = { actor: 'bootstrap-key', scopes: 'all', bootstrap: true };
const WEB: Caller = { actor: 'web-key', scopes: new Set(WEB_SCOPES), bootstrap: false };

/**
 * Every route but the public ones (@PublicRoute: /health, /docs, /hooks) needs a caller, and the
 * scope the route declares (@RequireScope). Callers: `Authorization: Bearer <key>`, where the key is
 * HERALD_API_KEY (every scope) or HERALD_WEB_API_KEY (the web app's scopes), both compared in
 * constant time, or a named key (api_keys, by its SHA-256); or `Authorization: Console <secret>`,
 * the console as the person signed in. Installed once for the whole API (APP_GUARD, auth.module.ts),
 * so a controller cannot forget it.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly bootstrapDigest: Buffer;
  private readonly webDigest: Buffer | null;

  constructor(
    @Inject(API_ENV) env: ApiEnv,
    @Inject(PRISMA) private readonly db: Db,
    private readonly keys: ApiKeyLookup,
    private readonly reflector: Reflector,
  ) {
    this.bootstrapDigest = digest(env.HERALD_API_KEY);
    this.webDigest = env.HERALD_WEB_API_KEY ? digest(env.HERALD_WEB_API_KEY) : null;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE_METADATA, targets)) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const caller = await this.identify(request.headers.authorization ?? '');
    authorizeRoute(
      caller,
      this.reflector.getAllAndOverride<ScopeRequirement>(SCOPE_METADATA, targets),
      request.method,
    );
    setCaller(request, caller);
    return true;
  }

  private async identify(header: string): Promise<Caller> {
    const match = /^(Bearer|Console)\s+(\S+)$/i.exec(header);
    const [, scheme = '', credential = ''] = match ?? [];
    if (!credential) {
      throw new DomainError(
        'unauthorized',
        'Send the API key as "Authorization: Bearer <key>" (or a console session as "Authorization: Console <secret>").',
      );
    }
    if (scheme.toLowerCase() === 'console') {
      const session = await findConsoleSession(this.db, credential);
      if (!session) throw new DomainError('unauthorized', 'The console session has ended or is not valid.');
      return session;
    }
    const presented = digest(credential);
    if (timingSafeEqual(presented, this.bootstrapDigest)) return BOOTSTRAP;
    if (this.webDigest && timingSafeEqual(presented, this.webDigest)) return WEB;
    const found = await this.keys.find(presented.toString('hex'));
    if (found.state === 'revoked') throw new DomainError('unauthorized', 'This API key was revoked.');
    if (found.state === 'unknown') throw new DomainError('unauthorized', 'The API key is not valid.');
    return found.caller;
  }
}
