import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import type { ApiEnv } from '@herald/config';
import { type FeedbackReportView, ReportFeedbackSchema } from '@herald/contract';
import type { Db } from '@herald/db';
import { RequireScope } from '../core/require-scope.decorator.js';
import { API_ENV, PRISMA } from '../core/injection-tokens.js';
import { parseInput } from '../core/parse-input.js';
import { applyFeedback } from './apply-feedback.js';
import { feedbackFromRequest } from './feedback-from-request.js';

/**
 * POST /v1/feedback: a bounce or complaint from any source without a webhook of its own (a
 * relay's API, a mailbox someone reads), under the API key. It is kept and applied like a report;
 * a messageId Herald does not know is accepted and kept unmatched, and changes nothing.
 */
@Controller('v1/feedback')
export class FeedbackController {
  constructor(
    @Inject(PRISMA) private readonly db: Db,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {}

  @Post()
  @RequireScope('feedback')
  @HttpCode(202)
  async report(@Body() body: unknown): Promise<FeedbackReportView> {
    const input = feedbackFromRequest(parseInput(ReportFeedbackSchema, body));
    const [result] = await applyFeedback(this.db, this.env, [input]);
    if (!result) throw new Error('applyFeedback returned no result for one input');
    return { id: result.reportId, matched: result.matched, effect: result.effect };
  }
}
