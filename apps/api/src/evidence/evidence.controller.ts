import { Controller, Get, Inject, Query } from '@nestjs/common';
import type { ApiEnv } from '@herald/config';
import { VerifyEvidenceSchema } from '@herald/contract';
import type { Db } from '@herald/db';
import { verifyEvidence } from '@herald/preferences';
import { API_ENV, PRISMA } from '../core/injection-tokens.js';
import { parseInput } from '../core/parse-input.js';
import { PublicRoute, RequireScope } from '../core/require-scope.decorator.js';

/**
 * The tamper-evident consent log (decision 023): the anchors' public key for anyone, and a check of
 * the chains and anchors of a period for auditors.
 */
@Controller()
export class EvidenceController {
  constructor(
    @Inject(PRISMA) private readonly db: Db,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {}

  @Get('.well-known/herald-evidence-key')
  @PublicRoute()
  publicKey() {
    const key = this.env.HERALD_EVIDENCE_KEY.key;
    return { keyId: key.keyId, algorithm: 'Ed25519', publicKeyPem: key.publicKeyPem, jwk: key.publicKeyJwk };
  }

  @Get('v1/evidence/verify')
  @RequireScope('audit')
  async verify(@Query() query: unknown) {
    const input = parseInput(VerifyEvidenceSchema, query, 'query');
    const key = this.env.HERALD_EVIDENCE_KEY.key;
    return verifyEvidence(this.db, {
      databaseUrl: this.env.DATABASE_URL,
      from: input.from,
      to: input.to,
      publicKeys: new Map([[key.keyId, key.publicKey]]),
    });
  }
}
