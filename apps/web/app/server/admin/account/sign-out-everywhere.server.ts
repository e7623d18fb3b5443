import { db } from '../../db.server';
import { endSessionsOf } from '../console-sessions.server';
import type { SignedInAdmin } from '../require-admin.server';
import { recordAccountAudit } from './record-audit.server';

/**
 * Ends every session of the signed-in account, this one included: for a lost laptop or a cookie
 * that may have been copied. Logged in the same transaction.
 */
export async function signOutEverywhere(admin: SignedInAdmin): Promise<number> {
  return db.$transaction(async (tx) => {
    const ended = await endSessionsOf(tx, admin.id);
    await recordAccountAudit(tx, admin, 'session.signed-out-everywhere', { sessionsEnded: ended });
    return ended;
  });
}
