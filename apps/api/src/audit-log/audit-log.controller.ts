import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ListAuditLogSchema } from '@herald/contract';
import type { Db } from '@herald/db';
import type { Response } from 'express';
import { once } from 'node:events';
import { PRISMA } from '../core/injection-tokens.js';
import { parseInput } from '../core/parse-input.js';
import { RequireScope } from '../core/require-scope.decorator.js';
import { auditCsvHeader, auditCsvLine } from './audit-log-csv.js';
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
    response.status(200);
    response.setHeader('content-type', 'text/csv; charset=utf-8');
    response.setHeader('content-disposition', 'attachment; filename="herald-audit-log.csv"');
    response.write(auditCsvHeader());
    try {
      for await (const entry of eachAuditLogEntry(this.db, input)) {
        if (response.destroyed) return undefined;
        if (!response.write(auditCsvLine(entry)))
          await Promise.race([once(response, 'drain'), once(response, 'close')]);
      }
      response.end();
    } catch (error) {
      // The header is out: a failure part way can only cut the download short, never pass as complete.
      response.destroy(error as Error);
    }
    return undefined;
  }
}
