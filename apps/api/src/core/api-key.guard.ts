import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { ApiEnv } from '@herald/config';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { DomainError } from './domain-error.js';
import { API_ENV } from './injection-tokens.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** `Authorization: Bearer {HERALD_API_KEY}` on everything under /v1, compared in constant time. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(API_ENV) env: ApiEnv) {
    this.expected = digest(env.HERALD_API_KEY);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      throw new DomainError('unauthorized', 'Send the API key as "Authorization: Bearer <HERALD_API_KEY>".');
    }
    if (!timingSafeEqual(digest(match[1]), this.expected)) {
      throw new DomainError('unauthorized', 'The API key is not valid.');
    }
    return true;
  }
}
