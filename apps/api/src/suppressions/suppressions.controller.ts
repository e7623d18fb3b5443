import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import {
  AddSuppressionSchema,
  ListSuppressionsSchema,
  RemoveSuppressionSchema,
  SuppressionAddressSchema,
  type RemovedSuppressions,
} from '@herald/contract';
import type { Db } from '@herald/db';
import { unsuppressAddress } from '@herald/preferences';
import type { Response } from 'express';
import { type Caller, CurrentCaller, isConsoleCaller } from '../core/caller.js';
import { RequireScope } from '../core/require-scope.decorator.js';
import { DomainError } from '../core/domain-error.js';
import { PRISMA } from '../core/injection-tokens.js';
import { parseInput } from '../core/parse-input.js';
import { countConsentWrites } from '../metrics/count-consent-writes.js';
import { addSuppression } from './add-suppression.js';
import { listSuppressions } from './list-suppressions.js';

/** The suppression list: read it, add to it by hand, lift an address with a written reason. */
@Controller('v1/suppressions')
export class SuppressionsController {
  constructor(@Inject(PRISMA) private readonly db: Db) {}

  @Get()
  @RequireScope('contacts:read')
  list(@Query() query: unknown) {
    return listSuppressions(this.db, parseInput(ListSuppressionsSchema, query, 'query'));
  }

  @Post()
  @RequireScope('contacts:write', { narrower: 'suppressions' })
  async add(
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
    @CurrentCaller() caller: Caller,
  ) {
    const result = await addSuppression(this.db, parseInput(AddSuppressionSchema, body), {
      actor: caller.actor,
      console: isConsoleCaller(caller),
    });
    response.status(result.created ? 201 : 200);
    return result;
  }

  /** The written reason comes in the body or, for clients that send no body with DELETE, the query. */
  @Delete(':address')
  @RequireScope('contacts:write', { narrower: 'suppressions' })
  @HttpCode(200)
  async remove(
    @Param('address') address: string,
    @Query() query: Record<string, unknown>,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
  ): Promise<RemovedSuppressions> {
    const { address: email } = parseInput(SuppressionAddressSchema, { address }, 'path');
    const fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    const input = parseInput(
      RemoveSuppressionSchema,
      { ...query, ...fields },
      Object.keys(fields).length > 0 ? 'body' : 'query',
    );
    // Through the console the consent log names the person signed in, whatever the body says.
    const actor = isConsoleCaller(caller) ? caller.actor : input.actor;
    const { removed, kept } = await unsuppressAddress(this.db, {
      email,
      ...(input.only && { only: input.only }),
      source: actor ? 'admin' : 'api',
      actor: actor ?? 'api',
      reason: input.reason,
      auditActor: caller.actor,
    });
    countConsentWrites(actor ? 'admin' : 'api', removed.length);
    if (removed.length === 0) {
      throw new DomainError(
        'not_suppressed',
        input.only
          ? `${email} is not suppressed for ${input.only}.`
          : `${email} is not on the suppression list.`,
      );
    }
    return { email, removed, kept };
  }
}
