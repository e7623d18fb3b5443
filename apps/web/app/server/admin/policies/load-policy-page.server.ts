import { readApiAs, type ConsoleCaller } from '../api-client.server';
import type { PolicyCoverage, PolicyVersionView as PolicyVersion } from '@herald/contract';

/** One version and who has been notified of it. */
export async function loadPolicyPage(caller: ConsoleCaller, id: string) {
  const path = `/v1/policies/${encodeURIComponent(id)}`;
  const [policy, coverage] = await Promise.all([
    readApiAs<PolicyVersion>(caller, path),
    readApiAs<PolicyCoverage>(caller, `${path}/coverage`),
  ]);
  return { policy, coverage };
}
