import type { PolicyStatus } from '@herald/contract';
import type { Db, PolicyVersion } from '@herald/db';
import { policyStatus, toPolicyView } from './policy-view.js';

/**
 * Every version, newest effective date first, each with the announced version it follows. A policy
 * has a handful of versions, so they are read at once and paired in memory.
 */
export async function listPolicyVersions(
  db: Db,
  { statuses, now = new Date() }: { statuses?: PolicyStatus[]; now?: Date } = {},
) {
  const versions = await db.policyVersion.findMany({ orderBy: [{ effectiveAt: 'desc' }, { id: 'desc' }] });
  const announced = versions.filter((version) => version.announcedAt !== null);
  return versions
    .filter((version) => !statuses || statuses.includes(policyStatus(version, now)))
    .map((version) => toPolicyView(version, previousOf(version, announced), now));
}

/** The announced version in force just before this one: the latest announced one that takes effect earlier. */
function previousOf(version: PolicyVersion, announcedNewestFirst: PolicyVersion[]): PolicyVersion | null {
  return (
    announcedNewestFirst.find(
      (candidate) =>
        candidate.id !== version.id && candidate.effectiveAt.getTime() < version.effectiveAt.getTime(),
    ) ?? null
  );
}
