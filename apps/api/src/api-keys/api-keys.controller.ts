import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CreateApiKeySchema, IdSchema } from '@herald/contract';
import type { Db } from '@herald/db';
import { ApiKeyLookup } from '../core/api-key-lookup.js';
import { type Caller, CurrentCaller } from '../core/caller.js';
import { PRISMA } from '../core/injection-tokens.js';
import { parseInput } from '../core/parse-input.js';
import { RequireScope } from '../core/require-scope.decorator.js';
import { toApiKeyView } from './api-key-view.js';
import { createApiKey } from './create-api-key.js';
import { revokeApiKey } from './revoke-api-key.js';

/** Named, scoped API keys (scope `admin`): create (the key is shown once), list, revoke. */
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(
    @Inject(PRISMA) private readonly db: Db,
    private readonly keys: ApiKeyLookup,
  ) {}

  @Post()
  @RequireScope('admin')
  create(@Body() body: unknown, @CurrentCaller() caller: Caller) {
    return createApiKey(this.db, { input: parseInput(CreateApiKeySchema, body), actor: caller.actor });
  }

  @Get()
  @RequireScope('admin')
  async list() {
    const keys = await this.db.apiKey.findMany({ orderBy: { createdAt: 'desc' } });
    return { apiKeys: keys.map(toApiKeyView) };
  }

  @Delete(':id')
  @RequireScope('admin')
  @HttpCode(200)
  async revoke(@Param('id') id: string, @CurrentCaller() caller: Caller) {
    const { view, keyHash } = await revokeApiKey(this.db, {
      id: parseInput(IdSchema, id, 'path'),
      actor: caller.actor,
    });
    // This process stops accepting it now; the others within KEY_CACHE_MS.
    this.keys.forget(keyHash);
    return view;
  }
}
