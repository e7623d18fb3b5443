import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  IMPORT_ERRORS_CSV_COLUMNS,
  ImportIdSchema,
  ImportQuerySchema,
  type ImportResult,
  type ImportView,
  ListImportsSchema,
} from '@herald/contract';
import type { Db } from '@herald/db';
import type { Request, Response } from 'express';
import { type Caller, CurrentCaller } from '../core/caller.js';
import { csvLine, streamCsv } from '../core/csv.js';
import { DomainError } from '../core/domain-error.js';
import { PRISMA } from '../core/injection-tokens.js';
import { parseInput } from '../core/parse-input.js';
import { RequireScope } from '../core/require-scope.decorator.js';
import { importView, stageImport } from './background-import.js';
import { importFormat, importRows } from './import-rows.js';
import { decodeBody, IMPORT_BODY_LIMIT, ImportTooLargeError } from './read-records.js';
import { checkCategories, runImport } from './run-import.js';

const PAGE = 5000;

/**
 * Contacts and their consent from another system, streamed in (the JSON body parser leaves text/csv
 * and application/x-ndjson alone, so the request arrives unread); each import is recorded with its
 * bad rows and in the audit log.
 */
@Controller('v1/imports')
export class ImportsController {
  constructor(@Inject(PRISMA) private readonly db: Db) {}

  @Post()
  @HttpCode(200)
  @RequireScope('contacts:write')
  async import(
    @Query() query: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentCaller() caller: Caller,
  ): Promise<ImportResult | ImportView> {
    const input = parseInput(ImportQuerySchema, query, 'query');
    await checkCategories(this.db, input.categories);
    const format = importFormat(request.headers['content-type']);
    if (!format) {
      throw new DomainError(
        'invalid_request',
        'An import body must be text/csv (a header line first) or application/x-ndjson (one JSON object per line).',
      );
    }
    if (Number(request.headers['content-length'] ?? 0) > IMPORT_BODY_LIMIT) {
      throw new ImportTooLargeError(IMPORT_BODY_LIMIT);
    }
    const rows = importRows(format, decodeBody(request), input.map);
    if (input.background) {
      response.status(202);
      return stageImport(this.db, rows, { actor: caller.actor, query: input });
    }
    return runImport(this.db, rows, { actor: caller.actor, query: input });
  }

  @Get()
  @RequireScope('contacts:read')
  async list(@Query() query: unknown): Promise<{ imports: ImportView[] }> {
    const { limit } = parseInput(ListImportsSchema, query, 'query');
    const found = await this.db.import.findMany({
      where: { status: { not: 'staging' } },
      orderBy: { createdAt: 'desc' },
      take: limit,
    });
    return { imports: found.map((record) => importView(record)) };
  }

  @Get(':id')
  @RequireScope('contacts:read')
  async read(@Param('id') id: string): Promise<ImportView> {
    const { id: importId } = parseInput(ImportIdSchema, { id }, 'path');
    const found = await this.db.import.findUnique({ where: { id: importId } });
    if (!found) throw new DomainError('not_found', `No import ${importId}.`);
    return importView(found);
  }

  @Get(':id/errors')
  @RequireScope('contacts:read')
  async errors(@Param('id') id: string, @Res() response: Response) {
    const { id: importId } = parseInput(ImportIdSchema, { id }, 'path');
    const found = await this.db.import.findUnique({ where: { id: importId }, select: { id: true } });
    if (!found) throw new DomainError('not_found', `No import ${importId}.`);
    await streamCsv(response, {
      filename: `herald-import-${importId}-errors.csv`,
      header: IMPORT_ERRORS_CSV_COLUMNS,
      lines: errorLines(this.db, importId),
    });
  }
}

/** An import's bad rows by line, a page at a time. */
async function* errorLines(db: Db, importId: string): AsyncGenerator<string> {
  let after: bigint | undefined;
  for (;;) {
    const rows = await db.importError.findMany({
      where: { importId, ...(after !== undefined && { id: { gt: after } }) },
      orderBy: { id: 'asc' },
      take: PAGE,
    });
    for (const row of rows) yield csvLine([row.line, row.message]);
    if (rows.length < PAGE) return;
    after = (rows.at(-1) as { id: bigint }).id;
  }
}
