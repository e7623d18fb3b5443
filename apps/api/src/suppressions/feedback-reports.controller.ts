import { Controller, Get, Inject, Query } from '@nestjs/common';
import { FeedbackRatesSchema, ListFeedbackReportsSchema } from '@herald/contract';
import type { Db } from '@herald/db';
import { RequireScope } from '../core/require-scope.decorator.js';
import { PRISMA } from '../core/injection-tokens.js';
import { parseInput } from '../core/parse-input.js';
import { feedbackRates } from './feedback-rates.js';
import { listFeedbackReports } from './list-feedback-reports.js';

/**
 * What the suppression page reads about feedback: the latest reports and the rates over time.
 * POST /v1/feedback (a report from any other source) is the feedback module's.
 */
@Controller('v1/feedback')
export class FeedbackReportsController {
  constructor(@Inject(PRISMA) private readonly db: Db) {}

  @Get('reports')
  @RequireScope('feedback')
  reports(@Query() query: unknown) {
    return listFeedbackReports(this.db, parseInput(ListFeedbackReportsSchema, query, 'query'));
  }

  @Get('rates')
  @RequireScope('feedback')
  rates(@Query() query: unknown) {
    return feedbackRates(this.db, parseInput(FeedbackRatesSchema, query, 'query'));
  }
}
