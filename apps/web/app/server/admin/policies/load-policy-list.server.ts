import { readApiAs, type ConsoleCaller } from '../api-client.server';
import type { PolicyCoverage, PolicyVersionView as PolicyVersion } from '@herald/contract';

/**
 * Every version with its coverage, so the list can say which are at risk now (the API computes
 * it on each read; the sweep's `atRiskSince` only says since when). A policy has a handful of
 * versions, so one coverage read each is cheap.
 */
export async function loadPolicyList(caller: ConsoleCaller) {
  const { policies } = await readApiAs<{ policies: PolicyVersion[] }>(caller, '/v1/policies');
  const coverages = await Promise.all(
    policies.map((policy) => readApiAs<PolicyCoverage>(caller, `/v1/policies/${policy.id}/coverage`)),
  );
  return policies.map((policy, index) => ({ policy, coverage: coverages[index] as PolicyCoverage }));
}
