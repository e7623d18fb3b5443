import type { PolicyStatus, PolicyVersionView } from '@herald/contract';
import type { PolicyVersion } from '@herald/db';

export function policyStatus(
  version: Pick<PolicyVersion, 'announcedAt' | 'effectiveAt'>,
  now: Date,
): PolicyStatus {
  if (version.effectiveAt.getTime() <= now.getTime()) return 'effective';
  return version.announcedAt ? 'announced' : 'draft';
}

type Previous = Pick<PolicyVersion, 'id' | 'version' | 'title' | 'effectiveAt'> | null;

/**
 * A policy version as the API shows it. `summary` is what changes compared with `previousVersion`
 * (the announced version in force before this one), so the public page can show both.
 */
export function toPolicyView(
  version: PolicyVersion,
  previous: Previous,
  now = new Date(),
): PolicyVersionView {
  return {
    id: version.id,
    version: version.version,
    title: version.title,
    summary: version.summary,
    url: version.url,
    effectiveAt: version.effectiveAt.toISOString(),
    status: policyStatus(version, now),
    announcedAt: version.announcedAt?.toISOString() ?? null,
    ratePerSecond: version.ratePerSecond,
    requiredNoticeDays: version.requiredNoticeDays,
    override: version.overrideReason ? { reason: version.overrideReason } : null,
    atRiskSince: version.atRiskSince?.toISOString() ?? null,
    previousVersion: previous
      ? {
          id: previous.id,
          version: previous.version,
          title: previous.title,
          effectiveAt: previous.effectiveAt.toISOString(),
        }
      : null,
    createdAt: version.createdAt.toISOString(),
  };
}
