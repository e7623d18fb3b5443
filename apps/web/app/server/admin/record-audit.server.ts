import type { Prisma, Tx } from '@herald/db';

/**
 * One audit_log row for a change a console user made to the team or to an account (their own or
 * another's), written in the transaction of the change itself, so the log never says something
 * happened that did not. The actor is the signed-in person (`admin:{email}`); the target is the
 * account or invitation changed. Changes the console asks the API for are audited by the API.
 */
export async function recordConsoleAudit(
  tx: Tx,
  entry: { actorEmail: string; action: string; targetId: string; details: Prisma.InputJsonObject },
): Promise<void> {
  await tx.auditLogEntry.create({
    data: {
      actor: `admin:${entry.actorEmail}`,
      action: entry.action,
      targetType: 'admin-user',
      targetId: entry.targetId,
      details: entry.details,
    },
  });
}
