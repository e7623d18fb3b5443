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
  Query,
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
import { type Caller, CurrentCaller, hasScope, isConsoleCaller } from '../core/caller.js';
import { recordAudit } from '../core/record-audit.js';
import { RequireScope } from '../core/require-scope.decorator.js';
import { PRISMA } from '../core/injection-tokens.js';
import { parseInput } from '../core/parse-input.js';
import { toContactView } from './contact-view.js';
import {
  IdSchema,
  SearchContactsSchema,
  UpdateContactSchema,
  UpdatePreferencesSchema,
  UpsertContactSchema,
} from '@herald/contract';
import { exportContact } from './export-contact.js';
import { listConsentLog } from './list-consent-log.js';
import { readContact } from './read-contact.js';
import { searchContacts } from './search-contacts.js';
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

  /** The support console's search: address prefix, external id or name prefix, newest first. */
  @Get()
  @RequireScope('contacts:read')
  async search(@Query() query: unknown) {
    return searchContacts(this.db, parseInput(SearchContactsSchema, query, 'query'));
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
  async erase(@Param('id') id: string, @CurrentCaller() caller: Caller) {
    await this.findContact(id);
    const agent = isConsoleCaller(caller);
    const source = agent ? 'admin' : 'api';
    // The erasure and its audit row commit together (eraseContact joins this transaction).
    const { erased } = await this.db.$transaction(async (tx) => {
      const result = await eraseContact(tx, { contactId: id, actor: agent ? caller.actor : 'api', source });
      if (result.erased) {
        await recordAudit(tx, {
          actor: caller.actor,
          action: 'contact.erased',
          targetType: 'contact',
          targetId: id,
        });
      }
      return result;
    });
    countConsentWrites(source, erased ? 1 : 0);
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

  /**
   * A support agent records a change someone asked for by mail or phone (source "admin"), always with
   * a written reason. Through the console, the consent log names the agent signed in (`admin:{email}`),
   * whatever `actor` the body says; an API key's caller may name the person in `actor`. The change and
   * its `preferences.changed` audit row commit together.
   */
  @Put(':id/preferences')
  @RequireScope('contacts:write')
  async recordPreferences(@Param('id') id: string, @Body() body: unknown, @CurrentCaller() caller: Caller) {
    const requestedAt = new Date();
    const input = parseInput(UpdatePreferencesSchema, body);
    await this.findContact(id);
    const { changed, clickTrackingOff } = await this.db.$transaction(async (tx) => {
      const result = await updatePreferences(tx, {
        contactId: id,
        changes: input.changes.map((change) => ({
          categoryKey: change.category,
          subscribed: change.subscribed,
        })),
        ...(input.allPromotional !== undefined && { allPromotional: input.allPromotional }),
        ...(input.clickTrackingOff !== undefined && { clickTrackingOff: input.clickTrackingOff }),
        source: 'admin',
        requestedAt,
        actor: isConsoleCaller(caller) ? caller.actor : (input.actor ?? 'support'),
        reason: input.reason,
      });
      if (result.changed.length > 0 || result.clickTrackingOff !== null) {
        await recordAudit(tx, {
          actor: caller.actor,
          action: 'preferences.changed',
          targetType: 'contact',
          targetId: id,
          reason: input.reason,
          details: {
            changes: result.changed.map((change) => ({
              category: change.categoryKey ?? 'all-promotional',
              subscribed: change.subscribed,
            })),
            ...(result.clickTrackingOff !== null && { clickTrackingOff: result.clickTrackingOff }),
          },
        });
      }
      return result;
    });
    countConsentWrites('admin', changed.length + (clickTrackingOff === null ? 0 : 1));
    await waitForInFlightDeliveries(this.db, { contactId: id });
    return {
      changed,
      ...(clickTrackingOff !== null && { clickTrackingOff }),
      preferences: await getPreferences(this.db, { contactId: id }),
    };
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

  /** Everything Herald holds about the contact (GDPR Art. 15); the export is in the audit log. */
  @Get(':id/export')
  @RequireScope('contacts:read', { narrower: 'self-export' })
  async export(@Param('id') id: string, @CurrentCaller() caller: Caller) {
    const contactId = parseInput(IdSchema, id, 'path');
    // The web app (self-export) asks for the person signed in to /account: the audit log names them.
    const actor = hasScope(caller, 'contacts:read') ? caller.actor : `contact:${contactId}`;
    return exportContact(this.db, { id: contactId, actor });
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
