import { Controller, Get, Inject, Query } from '@nestjs/common';
import type { ApiEnv } from '@herald/config';
import { ConformanceQuerySchema } from '@herald/contract';
import type { Db } from '@herald/db';
import { API_ENV, PRISMA } from '../core/injection-tokens.js';
import { parseInput } from '../core/parse-input.js';
import { RequireScope } from '../core/require-scope.decorator.js';
import { createEvidenceSigner } from '../evidence-pack/evidence-signer.js';
import { buildConformanceReport } from './build-conformance-report.js';
import { signReport } from './sign-report.js';

@Controller('v1/reports')
export class ConformanceController {
  constructor(
    @Inject(PRISMA) private readonly db: Db,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {}

  /** The conformance report for [from, to): opt-outs, required mail, campaigns, policy versions. */
  @Get('conformance')
  @RequireScope('audit')
  async conformance(@Query() query: unknown) {
    const { from, to } = parseInput(ConformanceQuerySchema, query, 'query');
    const report = await buildConformanceReport(this.db, {
      from,
      to,
      limits: {
        complaintRate: this.env.HERALD_CAMPAIGN_MAX_COMPLAINT_RATE,
        bounceRate: this.env.HERALD_CAMPAIGN_MAX_BOUNCE_RATE,
        guardrailMinSent: this.env.HERALD_GUARDRAIL_MIN_SENT,
      },
      atRiskDays: this.env.HERALD_POLICY_AT_RISK_DAYS,
    });
    return signReport(report, createEvidenceSigner(this.env.HERALD_EVIDENCE_KEY.key));
  }
}
