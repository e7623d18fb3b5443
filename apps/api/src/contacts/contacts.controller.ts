import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Put,
  Res,
} from '@nestjs/common';
import type { Db } from '@herald/db';
import {
  eraseContact,
  getPreferences,
  revokeLinks,
  updatePreferences,
  waitForInFlightDeliveries,
} from '@herald/preferences';
import type { Response } from 'express';
import { countConsentWrites } from '../metrics/count-consent-writes.js';
import { RequireScope } from '../core/require-scope.decorator.js';
import { PRISMA } from '../core/injection-tokens.js';
import { parseInput } from '../core/parse-input.js';
import { toContactView } from './contact-view.js';
import {
  IdSchema,
  UpdateContactSchema,
  UpdatePreferencesSchema,
  UpsertContactSchema,
} from '@herald/contract';
import { listConsentLog } from './list-consent-log.js';
import { readContact } from './read-contact.js';
import { updateContact } from './update-contact.js';
import { upsertContact } from './upsert-contact.js';

@Controller('v1/contacts')
export class ContactsController {
  constructor(@Inject(PRISMA) private readonly db: Db) {}

  @Post()
  @RequireScope('contacts:write')
  async upsert(@Body() body: unknown, @Res({ passthrough: true }) response: Response) {
    const { contact, created } = await upsertContact(this.db, parseInput(UpsertContactSchema, body));
    response.status(created ? 201 : 200);
    return toContactView(contact);
  }

  @Get(':id')
  @RequireScope('contacts:read')
  async read(@Param('id') id: string) {
    return toContactView(await this.findContact(id));
  }

  @Patch(':id')
  @RequireScope('contacts:write')
  async update(@Param('id') id: string, @Body() body: unknown) {
    const changes = parseInput(UpdateContactSchema, body);
    return toContactView(await updateContact(this.db, { id: parseInput(IdSchema, id, 'path'), changes }));
  }

  @Delete(':id')
  @RequireScope('contacts:write')
  @HttpCode(200)
  async erase(@Param('id') id: string) {
    await this.findContact(id);
    await eraseContact(this.db, { contactId: id, actor: 'api' });
    countConsentWrites('api', 1);
    // As every opt-out, after the commit: a send that read the contact before the erasure finishes first.
    await waitForInFlightDeliveries(this.db, { contactId: id });
    return { id, erased: true };
  }

  @Get(':id/preferences')
  @RequireScope('contacts:read')
  async preferences(@Param('id') id: string) {
    await this.findContact(id);
    return getPreferences(this.db, { contactId: id });
  }

  /** A support agent records a change someone asked for by mail or phone (source "admin"). */
  @Put(':id/preferences')
  @RequireScope('contacts:write')
  async recordPreferences(@Param('id') id: string, @Body() body: unknown) {
    const input = parseInput(UpdatePreferencesSchema, body);
    await this.findContact(id);
    const { changed } = await updatePreferences(this.db, {
      contactId: id,
      changes: input.changes.map((change) => ({
        categoryKey: change.category,
        subscribed: change.subscribed,
      })),
      ...(input.allPromotional !== undefined && { allPromotional: input.allPromotional }),
      source: 'admin',
      actor: input.actor ?? 'support',
      reason: input.reason,
    });
    countConsentWrites('admin', changed.length);
    await waitForInFlightDeliveries(this.db, { contactId: id });
    return { changed, preferences: await getPreferences(this.db, { contactId: id }) };
  }

  /**
   * Revokes every preference link mailed to the contact so far (a forwarded newsletter, a leaked
   * link): they still unsubscribe, but can no longer subscribe or show the preference center.
   */
  @Post(':id/revoke-links')
  @RequireScope('contacts:write')
  @HttpCode(200)
  async revokeLinks(@Param('id') id: string) {
    await this.findContact(id);
    const { tokenEpoch } = await revokeLinks(this.db, { contactId: id });
    return { id, tokenEpoch };
  }

  @Get(':id/consent-log')
  @RequireScope('contacts:read')
  async consentLog(@Param('id') id: string) {
    await this.findContact(id);
    return { entries: await listConsentLog(this.db, { contactId: id }) };
  }

  private findContact(id: string) {
    return readContact(this.db, parseInput(IdSchema, id, 'path'));
  }
}
