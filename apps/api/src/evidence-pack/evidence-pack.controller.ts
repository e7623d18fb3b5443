import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import type { ApiEnv } from '@herald/config';
import { IdSchema } from '@herald/contract';
import type { Db } from '@herald/db';
import type { Response } from 'express';
import { type Caller, CurrentCaller } from '../core/caller.js';
import { API_ENV, PRISMA } from '../core/injection-tokens.js';
import { parseInput } from '../core/parse-input.js';
import { recordAudit } from '../core/record-audit.js';
import { RequireScope } from '../core/require-scope.decorator.js';
import { readPolicyVersion } from '../policies/read-policy-version.js';
import { writeEvidencePack } from './build-evidence-pack.js';
import { createEvidenceSigner } from './evidence-signer.js';

@Controller('v1/policies')
export class EvidencePackController {
  constructor(
    @Inject(PRISMA) private readonly db: Db,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {}

  /**
   * The version's evidence pack: a zip streamed as it is made, signed with HERALD_EVIDENCE_KEY (the
   * key /.well-known/herald-evidence-key publishes), checked offline by npm run verify-evidence-pack.
   */
  @Get(':id/evidence-pack')
  @RequireScope('policies')
  async pack(@Param('id') id: string, @Res() response: Response, @CurrentCaller() caller: Caller) {
    const { version } = await readPolicyVersion(this.db, parseInput(IdSchema, id, 'path'));
    await recordAudit(this.db, {
      actor: caller.actor,
      action: 'policy.evidence_exported',
      targetType: 'policy',
      targetId: version.id,
    });
    response.status(200);
    response.setHeader('Content-Type', 'application/zip');
    response.setHeader(
      'Content-Disposition',
      `attachment; filename="herald-policy-evidence-${version.version.replace(/[^\w.-]+/g, '_')}.zip"`,
    );
    response.setHeader('Cache-Control', 'no-store');
    await writeEvidencePack(this.db, {
      version,
      signer: createEvidenceSigner(this.env.HERALD_EVIDENCE_KEY.key),
      atRiskDays: this.env.HERALD_POLICY_AT_RISK_DAYS,
      out: response,
    });
  }
}
