import { randomUUID } from 'node:crypto';
import { type Db, Prisma } from '@herald/db';
import { findTemplate } from '../templates/find-template.js';
import { fanOutNotices } from './fan-out-notices.js';
import { POLICY_TEMPLATE_KEY } from './policy-email-data.js';
import type { PolicySweepDeps, PolicyTemplate } from './policy-sweep-deps.js';
import { reEmailNotices } from './re-email-notices.js';

interface SweepOptions {
  retryAfterMs: number;
  leaseMs?: number;
  batchSize?: number;
  /** True once the worker is shutting down: the sweep stops between pages. */
  stopping?: () => boolean;
}

export type SweepResult = { noticed: number; emailed: number; retried: number; complete: boolean };

/**
 * Everything an announced, not yet effective version needs, under its lease: notices (and emails)
 * for every contact that has none — all of them the first time, later arrivals afterwards — then
 * the failed emails sent again and first emails for contacts that gained an address. Null when
 * another worker holds the lease or the version is not (or no longer) sweepable.
 */
export async function sweepPolicyVersion(
  deps: PolicySweepDeps,
  policyVersionId: string,
  { retryAfterMs, leaseMs = 60_000, batchSize, stopping = () => false }: SweepOptions,
): Promise<SweepResult | null> {
  const { db } = deps;
  // A fresh owner per run: two runs in one process must not share the lease either.
  const owner = randomUUID();
  if (!(await takeSweepLease(db, { policyVersionId, owner, leaseMs }))) return null;
  try {
    const version = await db.policyVersion.findUniqueOrThrow({ where: { id: policyVersionId } });
    const template = await latestPolicyTemplate(deps);
    const keepGoing = async () =>
      !stopping() && (await takeSweepLease(db, { policyVersionId, owner, leaseMs }));

    const fanOut = await fanOutNotices(deps, {
      version,
      template,
      keepGoing,
      ...(batchSize && { batchSize }),
    });
    if (fanOut.complete && !version.fannedOutAt) {
      await db.policyVersion.update({ where: { id: version.id }, data: { fannedOutAt: new Date() } });
    }
    if (!fanOut.complete) return { ...fanOut, retried: 0 };
    const again = await reEmailNotices(deps, { version, template, retryAfterMs, keepGoing });
    return {
      noticed: fanOut.noticed,
      emailed: fanOut.emailed + again.firstEmails,
      retried: again.retried,
      complete: true,
    };
  } finally {
    await releaseSweepLease(db, { policyVersionId, owner });
  }
}

async function latestPolicyTemplate({ db }: PolicySweepDeps): Promise<PolicyTemplate> {
  const template = await findTemplate(db, { key: POLICY_TEMPLATE_KEY });
  if (!template)
    throw new Error(`the "${POLICY_TEMPLATE_KEY}" template is missing; run "npx prisma db seed"`);
  return { id: template.id, categoryKey: template.categoryKey, class: template.category.class };
}

/**
 * One worker at a time sweeps a version: a conditional update takes the lease only when it is free
 * or has lapsed (its holder died), and only while the version is announced and not yet effective.
 * Answers whether this owner holds it now.
 */
async function takeSweepLease(
  db: Db,
  { policyVersionId, owner, leaseMs }: { policyVersionId: string; owner: string; leaseMs: number },
): Promise<boolean> {
  const taken = await db.$executeRaw(Prisma.sql`
    UPDATE policy_versions
       SET sweep_owner = ${owner}::uuid, sweep_lease_until = now() + make_interval(secs => ${leaseMs / 1000})
     WHERE id = ${policyVersionId}::uuid
       AND announced_at IS NOT NULL AND effective_at > now()
       AND (sweep_lease_until IS NULL OR sweep_lease_until < now() OR sweep_owner = ${owner}::uuid)`);
  return taken === 1;
}

/** Gives the lease back so the next sweep, in any worker, need not wait for it to lapse. */
async function releaseSweepLease(
  db: Db,
  { policyVersionId, owner }: { policyVersionId: string; owner: string },
): Promise<void> {
  await db.$executeRaw(Prisma.sql`
    UPDATE policy_versions SET sweep_owner = NULL, sweep_lease_until = NULL
     WHERE id = ${policyVersionId}::uuid AND sweep_owner = ${owner}::uuid`);
}
