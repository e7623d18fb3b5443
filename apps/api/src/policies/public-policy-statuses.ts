import type { PolicyStatus } from '@herald/contract';
import { type Caller, hasScope, lacksScope } from '../core/caller.js';

/** What anyone may read: the versions that were announced (the public policy page shows them). */
const PUBLIC: readonly PolicyStatus[] = ['announced', 'effective'];

/**
 * GET /v1/policies with `notices` and not `policies` (the web app's key): announced and effective
 * versions only, since drafts stay private until they are announced. No filter means those two.
 */
export function publicPolicyStatuses(
  caller: Caller,
  asked: PolicyStatus[] | undefined,
): PolicyStatus[] | undefined {
  if (hasScope(caller, 'policies')) return asked;
  if (!asked) return [...PUBLIC];
  if (asked.every((status) => PUBLIC.includes(status))) return asked;
  throw lacksScope('policies', '"notices" reads announced and effective versions only.');
}
