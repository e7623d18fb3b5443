import { type Db, Prisma } from '@herald/db';
import type { Queue } from 'bull';
import { recordAudit } from '../core/record-audit.js';
import { DomainError, notFound } from '../core/domain-error.js';
import { checkNoticePeriod } from './check-notice-period.js';
import type { AnnouncePolicyInput } from '@herald/contract';
import { sweepPolicyJob } from './policy-queue.js';

export interface AnnouncePolicyDeps {
  db: Db;
  /** The policies queue: a worker starts the fan-out as soon as the job arrives. */
  queue: Queue;
  noticeDays: number;
  log?: (message: string) => void;
  now?: Date;
}

/**
 * Announces a version: marks it announced with one conditional update (only the first of any number
 * of concurrent calls, from any number of API copies, wins) and asks a worker to fan it out. Calling
 * it again sends nothing twice: the notices and their messages are unique per contact and version.
 * The notice period is checked again, since time has passed since the version was published.
 */
export async function announcePolicyVersion(
  deps: AnnouncePolicyDeps,
  { id, input, actor }: { id: string; input: AnnouncePolicyInput; actor: string },
) {
  const now = deps.now ?? new Date();
  const version = await deps.db.policyVersion.findUnique({ where: { id } });
  if (!version) throw notFound('policy version', id);
  if (version.effectiveAt.getTime() <= now.getTime()) {
    throw new DomainError(
      'policy_already_effective',
      `Version "${version.version}" took effect on ${version.effectiveAt.toISOString()}; it can no longer be announced.`,
    );
  }

  let announcedNow = false;
  if (!version.announcedAt) {
    const overrideReason = version.overrideReason ?? input.override?.reason ?? null;
    const { overridden } = checkNoticePeriod({
      effectiveAt: version.effectiveAt,
      now,
      noticeDays: deps.noticeDays,
      overrideReason,
    });
    const newlyOverridden = overridden && !version.overrideReason;
    const updated = await deps.db.$transaction(async (tx) => {
      const count = await tx.$executeRaw(Prisma.sql`
        UPDATE policy_versions
           SET announced_at = now(),
               rate_per_second = ${input.ratePerSecond ?? null},
               override_reason = ${overridden ? overrideReason : version.overrideReason},
               updated_at = now()
         WHERE id = ${id}::uuid AND announced_at IS NULL`);
      if (count === 1) {
        await recordAudit(tx, {
          actor,
          action: newlyOverridden ? 'policy.announced-overridden' : 'policy.announced',
          targetType: 'policy',
          targetId: id,
          ...(newlyOverridden && overrideReason && { reason: overrideReason }),
          details: { version: version.version, ratePerSecond: input.ratePerSecond ?? null },
        });
      }
      return count;
    });
    announcedNow = updated === 1;
  }

  const job = sweepPolicyJob(id);
  try {
    await deps.queue.add(job.name, job.data, job.opts);
  } catch (error) {
    // The database is the source of truth: every worker's periodic sweep picks announced versions up.
    deps.log?.(`policy ${id} announced but its sweep not enqueued (${(error as Error).message})`);
  }
  const current = await deps.db.policyVersion.findUniqueOrThrow({ where: { id } });
  return { version: current, announcedNow };
}
