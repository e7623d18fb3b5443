import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { ApiEnv } from '@herald/config';
import type { Db } from '@herald/db';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { type Caller, setCaller } from './caller.js';
import { DomainError } from './domain-error.js';
import { findConsoleSession } from './find-console-session.js';
import { API_ENV, PRISMA } from './injection-tokens.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

const BOOTSTRAP: Caller = { actor: 'bootstrap-key', scopes: 'all', bootstrap: true };

/**
 * Everything under /v1 needs a caller: `Authorization: Bearer {HERALD_API_KEY}` (compared in constant
 * time), or `Authorization: Console {session secret}` from the console, as the person signed in.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(
    @Inject(API_ENV) env: ApiEnv,
    @Inject(PRISMA) private readonly db: Db,
  ) {
    this.expected = digest(env.HERALD_API_KEY);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    setCaller(request, await this.identify(request.headers.authorization ?? ''));
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
    if (!timingSafeEqual(digest(credential), this.expected)) {
      throw new DomainError('unauthorized', 'The API key is not valid.');
    }
    return BOOTSTRAP;
  }
}
