import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CreateSubscribeFormSchema, KebabKeySchema } from '@herald/contract';
import type { Db } from '@herald/db';
import { type Caller, CurrentCaller } from '../core/caller.js';
import { PRISMA } from '../core/injection-tokens.js';
import { parseInput } from '../core/parse-input.js';
import { RequireScope } from '../core/require-scope.decorator.js';
import {
  createSubscribeForm,
  listSubscribeForms,
  readSubscribeForm,
  setSubscribeFormDisabled,
  toFormView,
} from './subscribe-forms.js';

/**
 * Subscribe forms: the web app serves each at /subscribe/{key} and confirms its requests by mail.
 * Creating, disabling and enabling are each audited in the transaction of the change.
 */
@Controller('v1/forms')
export class FormsController {
  constructor(@Inject(PRISMA) private readonly db: Db) {}

  @Post()
  @RequireScope('contacts:write')
  @HttpCode(201)
  async create(@Body() body: unknown, @CurrentCaller() caller: Caller) {
    const input = parseInput(CreateSubscribeFormSchema, body);
    return toFormView(await createSubscribeForm(this.db, input, caller.actor));
  }

  @Get()
  @RequireScope('contacts:read')
  async list() {
    return { forms: (await listSubscribeForms(this.db)).map(toFormView) };
  }

  @Get(':key')
  @RequireScope('contacts:read')
  async read(@Param('key') key: string) {
    return toFormView(await readSubscribeForm(this.db, parseInput(KebabKeySchema, key, 'path')));
  }

  /** Stops the form taking subscriptions: 409 when it is disabled already. */
  @Post(':key/disable')
  @RequireScope('contacts:write')
  @HttpCode(200)
  async disable(@Param('key') key: string, @CurrentCaller() caller: Caller) {
    const formKey = parseInput(KebabKeySchema, key, 'path');
    return toFormView(await setSubscribeFormDisabled(this.db, formKey, true, caller.actor));
  }

  /** Lets a disabled form take subscriptions again: 409 when it is not disabled. */
  @Post(':key/enable')
  @RequireScope('contacts:write')
  @HttpCode(200)
  async enable(@Param('key') key: string, @CurrentCaller() caller: Caller) {
    const formKey = parseInput(KebabKeySchema, key, 'path');
    return toFormView(await setSubscribeFormDisabled(this.db, formKey, false, caller.actor));
  }
}
