import { db } from '../../db.server';
import { endSessionsOf } from '../console-sessions.server';
import type { SignedInAdmin } from '../require-admin.server';
import { recordConsoleAudit } from '../record-audit.server';

/**
 * Ends every session of the signed-in account, this one included: for a lost laptop or a cookie
 * that may have been copied. Logged in the same transaction.
 */
export async function signOutEverywhere(admin: SignedInAdmin): Promise<number> {
  return db.$transaction(async (tx) => {
    const ended = await endSessionsOf(tx, admin.id);
    await recordConsoleAudit(tx, {
      actorEmail: admin.email,
      action: 'session.signed-out-everywhere',
      targetId: admin.id,
      details: { sessionsEnded: ended },
    });
    return ended;
  });
}
