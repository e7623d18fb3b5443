import { z } from 'zod';
import { BoundSchema } from './audit-log.js';

/**
 * GET /v1/evidence/verify: re-computes the consent log's chains and signed anchors for a period
 * (dates, `to` inclusive, or instants) and answers ok or the first problem (decision 023).
 */
export const VerifyEvidenceSchema = z
  .strictObject({
    from: BoundSchema(false),
    to: BoundSchema(true),
  })
  .refine((query) => query.from < query.to, { message: '"from" must be before "to"', path: ['from'] });
export type VerifyEvidenceInput = z.output<typeof VerifyEvidenceSchema>;
