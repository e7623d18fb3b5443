import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { Db } from '@herald/db';
import { ApiKeyLookup } from './api-key-lookup.js';
import { ApiKeyGuard } from './api-key.guard.js';
import { PRISMA } from './injection-tokens.js';

/**
 * The HTTP API's authentication and scopes: one guard for every route (APP_GUARD) and one cache
 * of named keys per process, which key management (api-keys/) tells when a key is revoked.
 */
@Global()
@Module({
  providers: [
    { provide: ApiKeyLookup, useFactory: (db: Db) => new ApiKeyLookup(db), inject: [PRISMA] },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
  ],
  exports: [ApiKeyLookup],
})
export class AuthModule {}
