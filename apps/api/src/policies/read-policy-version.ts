import type { Db, PolicyVersion } from '@herald/db';
import { notFound } from '../core/domain-error.js';

/** A version and the announced version in force just before it (what its summary compares with). */
export async function readPolicyVersion(
  db: Db,
  id: string,
): Promise<{ version: PolicyVersion; previous: PolicyVersion | null }> {
  const version = await db.policyVersion.findUnique({ where: { id } });
  if (!version) throw notFound('policy version', id);
  const previous = await db.policyVersion.findFirst({
    where: { id: { not: id }, announcedAt: { not: null }, effectiveAt: { lt: version.effectiveAt } },
    orderBy: [{ effectiveAt: 'desc' }, { id: 'desc' }],
  });
  return { version, previous };
}
