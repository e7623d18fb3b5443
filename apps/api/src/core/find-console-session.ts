import { type AdminRoleName, ROLE_POWERS } from '@herald/contract';
import type { Db } from '@herald/db';
import type { Caller } from './caller.js';
import { sha256Hex } from './sha256-hex.js';

/**
 * `Authorization: Console <secret>`: the console calls the API as the person signed in, with the
 * secret of their server-side session (admin_sessions, keyed by its SHA-256). A session that was
 * ended (sign-out, "sign out everywhere", a password change), has expired, or whose account was
 * deactivated is refused at once: it is read on every call, never cached, so ending it on the web
 * ends it here too.
 *
 * The session has its person's role's scopes (@herald/contract ROLE_POWERS,
 * docs/decisions/016-console-roles.md), read on every call too: a role changed takes effect at once.
 */
export async function findConsoleSession(db: Db, secret: string): Promise<Caller | null> {
  const session = await db.adminSession.findUnique({
    where: { tokenHash: sha256Hex(secret) },
    select: {
      revokedAt: true,
      expiresAt: true,
      adminUser: { select: { email: true, role: true, deactivatedAt: true } },
    },
  });
  if (!session || session.revokedAt !== null || session.expiresAt.getTime() <= Date.now()) return null;
  if (session.adminUser.deactivatedAt !== null) return null;
  return consoleCaller(session.adminUser.email, session.adminUser.role);
}

export function consoleCaller(email: string, role: AdminRoleName): Caller {
  const powers = ROLE_POWERS[role];
  return {
    actor: `admin:${email}`,
    scopes: powers.scopes.includes('admin') ? 'all' : new Set(powers.scopes),
    bootstrap: false,
    readOnly: powers.readOnly,
    templateClasses: new Set(powers.templateClasses),
    role,
  };
}
