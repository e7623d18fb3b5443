import { type Db, Prisma } from '@herald/db';

/**
 * One worker at a time sweeps a version: a conditional update takes the lease only when it is free
 * or has lapsed (its holder died), and only while the version is announced and not yet effective.
 * Answers whether this owner holds it now.
 */
export async function takeSweepLease(
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
export async function releaseSweepLease(
  db: Db,
  { policyVersionId, owner }: { policyVersionId: string; owner: string },
): Promise<void> {
  await db.$executeRaw(Prisma.sql`
    UPDATE policy_versions SET sweep_owner = NULL, sweep_lease_until = NULL
     WHERE id = ${policyVersionId}::uuid AND sweep_owner = ${owner}::uuid`);
}
