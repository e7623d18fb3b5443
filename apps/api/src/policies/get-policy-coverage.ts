import type { PolicyCoverage } from '@herald/contract';
import { type Db, type PolicyVersion, Prisma } from '@herald/db';
import { DAY_MS } from './check-notice-period.js';
import { policyStatus } from './policy-view.js';

interface NoticeCounts {
  noticed: number;
  emailed: number;
  delivered: number;
  delivered_before_effective: number;
  pending: number;
  failed: number;
  bounced: number;
  no_address: number;
  acknowledged: number;
}

/**
 * Who has been notified of a version, counted per contact (a contact's notice points at its current
 * email, so a retried delivery counts once). "Reachable" contacts have an address that has not
 * bounced; the others are covered by the in-app notice only. Contacts that exist but have no notice
 * yet (the fan-out or the sweep has not reached them) are counted as awaiting.
 */
export async function getPolicyCoverage(
  db: Db,
  { version, atRiskDays, now = new Date() }: { version: PolicyVersion; atRiskDays: number; now?: Date },
): Promise<PolicyCoverage> {
  const [counts] = await db.$queryRaw<NoticeCounts[]>(Prisma.sql`
    SELECT count(*)::int AS noticed,
           count(n.message_id)::int AS emailed,
           count(*) FILTER (WHERE m.status = 'sent')::int AS delivered,
           count(*) FILTER (WHERE m.status = 'sent' AND m.sent_at < ${version.effectiveAt})::int
             AS delivered_before_effective,
           count(*) FILTER (WHERE m.status IN ('queued', 'sending'))::int AS pending,
           count(*) FILTER (WHERE m.status = 'failed')::int AS failed,
           count(*) FILTER (WHERE m.status IN ('bounced', 'suppressed'))::int AS bounced,
           count(*) FILTER (WHERE n.message_id IS NULL)::int AS no_address,
           count(n.acknowledged_at)::int AS acknowledged
      FROM notices n
      LEFT JOIN messages m ON m.id = n.message_id
     WHERE n.policy_version_id = ${version.id}::uuid`);
  const [awaiting] = await db.$queryRaw<{ contacts: number; with_address: number }[]>(Prisma.sql`
    SELECT count(*)::int AS contacts, count(c.email)::int AS with_address
      FROM contacts c
     WHERE c.erased_at IS NULL AND c.created_at < ${version.effectiveAt}
       AND NOT EXISTS (SELECT 1 FROM notices n
                        WHERE n.policy_version_id = ${version.id}::uuid AND n.contact_id = c.id)`);
  const c = counts as NoticeCounts;
  const waiting = awaiting ?? { contacts: 0, with_address: 0 };

  const inAppOnly = c.no_address + c.bounced + (waiting.contacts - waiting.with_address);
  const reachable = c.emailed - c.bounced + waiting.with_address;
  const undeliveredReachable = reachable - c.delivered;
  const announced = version.announcedAt !== null;
  const atRiskFrom = new Date(version.effectiveAt.getTime() - atRiskDays * DAY_MS);
  const notifiedBeforeEffective =
    announced && undeliveredReachable === 0 && c.delivered_before_effective === c.delivered;
  return {
    policyId: version.id,
    version: version.version,
    status: policyStatus(version, now),
    effectiveAt: version.effectiveAt.toISOString(),
    announcedAt: version.announcedAt?.toISOString() ?? null,
    contacts: c.noticed + waiting.contacts,
    noticed: c.noticed,
    awaitingNotice: waiting.contacts,
    emailed: c.emailed,
    delivered: c.delivered,
    deliveredBeforeEffective: c.delivered_before_effective,
    pending: c.pending,
    failed: c.failed,
    bounced: c.bounced,
    bouncedOrFailed: c.bounced + c.failed,
    noAddress: c.no_address,
    inAppOnly,
    acknowledged: c.acknowledged,
    reachable,
    undeliveredReachable,
    notifiedBeforeEffective,
    deadlinePassed: version.effectiveAt.getTime() <= now.getTime(),
    atRisk: now.getTime() >= atRiskFrom.getTime() && (!announced || undeliveredReachable > 0),
    atRiskFrom: atRiskFrom.toISOString(),
    atRiskSince: version.atRiskSince?.toISOString() ?? null,
    fanOutDone: version.fannedOutAt !== null,
  };
}
