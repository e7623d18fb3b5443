import type { SuppressionReason } from '@herald/db';
import { z } from 'zod';

export const SuppressionReasonValueSchema = z.enum([
  'hard-bounce',
  'complaint',
  'erasure',
  'soft-bounce-limit',
  'manual',
]);
export type SuppressionReasonValue = z.infer<typeof SuppressionReasonValueSchema>;

const PRISMA_NAMES = {
  'hard-bounce': 'hard_bounce',
  complaint: 'complaint',
  erasure: 'erasure',
  'soft-bounce-limit': 'soft_bounce_limit',
  manual: 'manual',
} as const satisfies Record<SuppressionReasonValue, SuppressionReason>;

export function toPrismaSuppressionReason(reason: SuppressionReasonValue): SuppressionReason {
  return PRISMA_NAMES[reason];
}
