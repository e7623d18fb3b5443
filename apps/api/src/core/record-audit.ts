import type { Prisma, Tx } from '@herald/db';

export interface AuditEntry {
  /** `Caller.actor`: "bootstrap-key", "web-key", "key:{name}" or "admin:{email}". */
  actor: string;
  /** What was done: "api-key.created", "api-key.revoked", "template.saved", … */
  action: string;
  targetType: string;
  targetId: string;
  /** The written reason the change needed (an override, a preference changed for someone). */
  reason?: string;
  details?: Prisma.InputJsonObject;
}

/**
 * One audit_log row (append-only: a trigger refuses UPDATE and DELETE), written in the
 * transaction of the change itself, so the log never names a change that did not happen.
 */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditLogEntry.create({ data: entry });
}
