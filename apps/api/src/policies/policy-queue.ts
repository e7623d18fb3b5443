import type { JobOptions } from 'bull';
import { z } from 'zod';

/** The policy sweep job contract, defined once: queue name, job name and a versioned payload. */
export const POLICY_QUEUE = 'policies';
export const SWEEP_POLICY_JOB = 'sweep-policy';

export const SweepPolicyJobSchema = z.object({
  version: z.literal(1),
  policyVersionId: z.uuid(),
});
type SweepPolicyJob = z.output<typeof SweepPolicyJobSchema>;

/**
 * Starts a sweep of one announced version now (the workers also sweep every version periodically).
 * The fixed job id means announcing twice while a sweep waits adds one job.
 */
export function sweepPolicyJob(policyVersionId: string): {
  name: string;
  data: SweepPolicyJob;
  opts: JobOptions;
} {
  return {
    name: SWEEP_POLICY_JOB,
    data: { version: 1, policyVersionId },
    opts: { jobId: `sweep:${policyVersionId}`, attempts: 3, removeOnComplete: true, removeOnFail: 100 },
  };
}
