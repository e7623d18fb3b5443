import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import {
  CONSENT_LOG_CSV_COLUMNS,
  CONTACTS_CSV_COLUMNS,
  ExportConsentLogSchema,
  ExportContactsSchema,
} from '@herald/contract';
import type { Db } from '@herald/db';
import type { Response } from 'express';
import { type Caller, CurrentCaller } from '../core/caller.js';
import { streamCsv } from '../core/csv.js';
import { PRISMA } from '../core/injection-tokens.js';
import { parseInput } from '../core/parse-input.js';
import { recordAudit } from '../core/record-audit.js';
import { RequireScope } from '../core/require-scope.decorator.js';
import { consentLogCsvLines } from './export-consent-log.js';
import { contactCsvLines, exportCategories } from './export-contacts.js';

/** Lists out of Herald, streamed as CSV; each export is in the audit log with who asked. */
@Controller('v1/exports')
export class ExportsController {
  constructor(@Inject(PRISMA) private readonly db: Db) {}

  @Get('contacts')
  @RequireScope('contacts:read')
  async contacts(@Query() query: unknown, @Res() response: Response, @CurrentCaller() caller: Caller) {
    parseInput(ExportContactsSchema, query, 'query');
    const categories = await exportCategories(this.db);
    await recordAudit(this.db, {
      actor: caller.actor,
      action: 'contacts.exported',
      targetType: 'contacts',
      targetId: 'all',
    });
    await streamCsv(response, {
      filename: 'herald-contacts.csv',
      header: [
        ...CONTACTS_CSV_COLUMNS,
        ...categories.map((category) => `category:${category.key}`),
        'suppressed',
      ],
      lines: contactCsvLines(this.db, categories),
    });
  }

  @Get('consent-log')
  @RequireScope('contacts:read')
  async consentLog(@Query() query: unknown, @Res() response: Response, @CurrentCaller() caller: Caller) {
    const input = parseInput(ExportConsentLogSchema, query, 'query');
    await recordAudit(this.db, {
      actor: caller.actor,
      action: 'consent-log.exported',
      targetType: 'consent-log',
      targetId: `${input.from.toISOString()}/${input.to.toISOString()}`,
    });
    await streamCsv(response, {
      filename: 'herald-consent-log.csv',
      header: CONSENT_LOG_CSV_COLUMNS,
      lines: consentLogCsvLines(this.db, input),
    });
  }
}
