import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { AUDIT_LOG_CSV_COLUMNS, ListAuditLogSchema } from '@herald/contract';
import type { Db } from '@herald/db';
import type { Response } from 'express';
import { streamCsv } from '../core/csv.js';
import { PRISMA } from '../core/injection-tokens.js';
import { parseInput } from '../core/parse-input.js';
import { RequireScope } from '../core/require-scope.decorator.js';
import { auditCsvLine } from './audit-log-csv.js';
import { eachAuditLogEntry, listAuditLog } from './list-audit-log.js';

/** The audit log: who changed what through the console or the API (written by each change itself). */
@Controller('v1/audit-log')
export class AuditLogController {
  constructor(@Inject(PRISMA) private readonly db: Db) {}

  @Get()
  @RequireScope('audit')
  async list(@Query() query: unknown, @Res({ passthrough: true }) response: Response) {
    const input = parseInput(ListAuditLogSchema, query, 'query');
    if (input.format === 'json') return listAuditLog(this.db, input);
    // CSV: streamed a page at a time, however many rows match.
    const entries = eachAuditLogEntry(this.db, input);
    await streamCsv(response, {
      filename: 'herald-audit-log.csv',
      header: AUDIT_LOG_CSV_COLUMNS,
      lines: (async function* () {
        for await (const entry of entries) yield auditCsvLine(entry);
      })(),
    });
    return undefined;
  }
}
