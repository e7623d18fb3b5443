import { type Db, Prisma } from '@herald/db';
import { DAY_MS } from './check-notice-period.js';
import { getPolicyCoverage } from './get-policy-coverage.js';

/**
 * Within HERALD_POLICY_AT_RISK_DAYS of its effective date, a version with a reachable contact not yet
 * delivered (or not announced at all) is marked at risk, once, with a logged warning; the coverage
 * report shows it. The conditional update means one worker logs it, however many check.
 */
export async function markAtRiskVersions(
  db: Db,
  { atRiskDays, warn, now = new Date() }: { atRiskDays: number; warn: (message: string) => void; now?: Date },
): Promise<string[]> {
  const candidates = await db.policyVersion.findMany({
    where: {
      atRiskSince: null,
      effectiveAt: { gt: now, lte: new Date(now.getTime() + atRiskDays * DAY_MS) },
    },
  });
  const marked: string[] = [];
  for (const version of candidates) {
    const coverage = await getPolicyCoverage(db, { version, atRiskDays, now });
    if (!coverage.atRisk) continue;
    const updated = await db.$executeRaw(Prisma.sql`
      UPDATE policy_versions SET at_risk_since = now(), updated_at = now()
       WHERE id = ${version.id}::uuid AND at_risk_since IS NULL`);
    if (updated !== 1) continue;
    marked.push(version.id);
    warn(
      `policy version "${version.version}" (${version.id}) is at risk: ` +
        (version.announcedAt
          ? `${coverage.undeliveredReachable} reachable contact(s) not yet delivered`
          : 'not announced yet') +
        `, and it takes effect on ${version.effectiveAt.toISOString()}`,
    );
  }
  return marked;
}
