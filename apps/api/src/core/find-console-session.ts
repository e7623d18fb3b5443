import type { Db } from '@herald/db';
import type { Caller } from './caller.js';
import { sha256Hex } from './sha256-hex.js';

/**
 * `Authorization: Console <secret>`: the console calls the API as the person signed in, with the
 * secret of their server-side session (admin_sessions, keyed by its SHA-256). A session that was
 * ended (sign-out, "sign out everywhere", a password change) or has expired is refused at once: it
 * is read on every call, never cached, so ending it on the web ends it here too.
 *
 * Console sessions have every scope: the console has one role today (docs/decisions/010-*); roles
 * that narrow it are a later change.
 */
export async function findConsoleSession(db: Db, secret: string): Promise<Caller | null> {
  const session = await db.adminSession.findUnique({
    where: { tokenHash: sha256Hex(secret) },
    select: { revokedAt: true, expiresAt: true, adminUser: { select: { email: true } } },
  });
  if (!session || session.revokedAt !== null || session.expiresAt.getTime() <= Date.now()) return null;
  return { actor: `admin:${session.adminUser.email}`, scopes: 'all', bootstrap: false };
}
