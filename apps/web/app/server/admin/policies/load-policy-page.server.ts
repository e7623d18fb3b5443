import { readApi } from '../api-client.server';
import type { PolicyCoverage, PolicyVersionView as PolicyVersion } from '@herald/contract';

/** One version and who has been notified of it. */
export async function loadPolicyPage(id: string) {
  const path = `/v1/policies/${encodeURIComponent(id)}`;
  const [policy, coverage] = await Promise.all([
    readApi<PolicyVersion>(path),
    readApi<PolicyCoverage>(`${path}/coverage`),
  ]);
  return { policy, coverage };
}
