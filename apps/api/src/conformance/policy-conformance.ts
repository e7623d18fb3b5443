import type { ConformanceReport } from '@herald/contract';
import { type Db, Prisma } from '@herald/db';
import { DAY_MS } from '../policies/check-notice-period.js';
import { getPolicyCoverage } from '../policies/get-policy-coverage.js';

/**
 * Every policy version announced or taking effect in the period: the notice it gave, when the
 * last reachable contact's email was delivered, and the coverage at its effective date.
 */
export async function policyConformance(
  db: Db,
  from: Date,
  to: Date,
  atRiskDays: number,
): Promise<ConformanceReport['policies']> {
  const versions = await db.policyVersion.findMany({
    where: {
      OR: [
        { effectiveAt: { gte: from, lt: to } },
        { announcedAt: { gte: from, lt: to } },
        { announcedAt: { lt: from }, effectiveAt: { gte: to } },
      ],
    },
    orderBy: { effectiveAt: 'asc' },
  });
  const result: ConformanceReport['policies'] = [];
  for (const version of versions) {
    const coverage = await getPolicyCoverage(db, { version, atRiskDays });
    const [last] = await db.$queryRaw<{ at: Date | null }[]>(Prisma.sql`
      SELECT max(m.sent_at) AS at
        FROM notices n JOIN messages m ON m.id = n.message_id
       WHERE n.policy_version_id = ${version.id}::uuid AND m.status = 'sent'`);
    const noticeDays =
      version.announcedAt === null
        ? null
        : Math.round(((version.effectiveAt.getTime() - version.announcedAt.getTime()) / DAY_MS) * 10) / 10;
    result.push({
      id: version.id,
      version: version.version,
      title: version.title,
      effectiveAt: version.effectiveAt.toISOString(),
      announcedAt: version.announcedAt?.toISOString() ?? null,
      requiredNoticeDays: version.requiredNoticeDays,
      noticeDays,
      overrideReason: version.overrideReason,
      everyoneEmailedAt:
        coverage.undeliveredReachable === 0 && coverage.awaitingNotice === 0
          ? (last?.at?.toISOString() ?? null)
          : null,
      reachable: coverage.reachable,
      deliveredBeforeEffective: coverage.deliveredBeforeEffective,
      coverageAtEffective:
        coverage.reachable === 0 ? 1 : coverage.deliveredBeforeEffective / coverage.reachable,
      inAppOnly: coverage.inAppOnly,
      notifiedBeforeEffective: coverage.notifiedBeforeEffective,
    });
  }
  return result;
}
