import type { Prisma, Tx } from '@herald/db';
import type { SignedInAdmin } from '../require-admin.server';

/**
 * One audit_log row for a change a console user made to their own account, written in the
 * transaction of the change itself, so the log never says something happened that did not.
 */
export async function recordAccountAudit(
  tx: Tx,
  admin: SignedInAdmin,
  action: 'password.changed' | 'session.signed-out-everywhere',
  details: Prisma.InputJsonObject,
): Promise<void> {
  await tx.auditLogEntry.create({
    data: { actor: `admin:${admin.email}`, action, targetType: 'admin-user', targetId: admin.id, details },
  });
}
