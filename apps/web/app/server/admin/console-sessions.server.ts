import type { AdminRoleName } from '@herald/contract';
import type { Tx } from '@herald/db';
import { createHash, randomBytes } from 'node:crypto';
import { db } from '../db.server';
import { SESSION_SECONDS } from './admin-session.server';

/** lastSeenAt is written at most this often per session: a page view is not a database write. */
const SEEN_EVERY_MS = 60_000;

/**
 * How a session's secret is stored and looked up, here and in the API (which accepts
 * `Authorization: Console <secret>`): its SHA-256 in hex, never the secret itself.
 */
export const hashSessionSecret = (secret: string): string =>
  createHash('sha256').update(secret).digest('hex');

/** A signed-in console session as every console request sees it. */
export type LiveSession = {
  id: string;
  secret: string;
  lastSeenAt: Date;
  adminUser: { id: string; email: string; role: AdminRoleName };
};

/**
 * A server-side session for a sign-in: a random 32-byte secret for the cookie, its hash in
 * admin_sessions with the same working-day lifetime as the cookie, and the browser it began in.
 */
export async function openConsoleSession(
  adminUserId: string,
  userAgent: string | undefined,
): Promise<string> {
  const secret = randomBytes(32).toString('base64url');
  await db.adminSession.create({
    data: {
      tokenHash: hashSessionSecret(secret),
      adminUserId,
      expiresAt: new Date(Date.now() + SESSION_SECONDS * 1000),
      ...(userAgent && { userAgent: userAgent.slice(0, 500) }),
    },
  });
  return secret;
}

/** The session a cookie's secret names, only while it is neither ended nor expired. */
export async function findLiveSession(secret: string): Promise<LiveSession | null> {
  const session = await db.adminSession.findUnique({
    where: { tokenHash: hashSessionSecret(secret) },
    select: {
      id: true,
      lastSeenAt: true,
      revokedAt: true,
      expiresAt: true,
      adminUser: { select: { id: true, email: true, role: true, deactivatedAt: true } },
    },
  });
  if (!session || session.revokedAt || session.expiresAt.getTime() <= Date.now()) return null;
  // A deactivated account's sessions end with it (deactivation revokes them too; this covers a race).
  const { deactivatedAt, ...adminUser } = session.adminUser;
  if (deactivatedAt) return null;
  return { id: session.id, secret, lastSeenAt: session.lastSeenAt, adminUser };
}

/**
 * Records that the session is in use, at most once a minute: the update names the old value, so of
 * a page's loaders running side by side one writes and the others match nothing.
 */
export async function markSessionSeen(session: LiveSession): Promise<void> {
  const staleBefore = new Date(Date.now() - SEEN_EVERY_MS);
  if (session.lastSeenAt >= staleBefore) return;
  await db.adminSession.updateMany({
    where: { id: session.id, lastSeenAt: { lt: staleBefore } },
    data: { lastSeenAt: new Date() },
  });
}

/** Ends the session a cookie carries (sign-out): copies of that cookie stop working with it. */
export async function endConsoleSession(secret: string): Promise<void> {
  await db.adminSession.updateMany({
    where: { tokenHash: hashSessionSecret(secret), revokedAt: null },
    data: { revokedAt: new Date() },
  });
}

/** Ends every live session of an account, but `keep` when given; returns how many it ended. */
export async function endSessionsOf(tx: Tx, adminUserId: string, keep?: string): Promise<number> {
  const { count } = await tx.adminSession.updateMany({
    where: {
      adminUserId,
      revokedAt: null,
      expiresAt: { gt: new Date() },
      ...(keep && { id: { not: keep } }),
    },
    data: { revokedAt: new Date() },
  });
  return count;
}

/** An account's sessions that still count, newest first: what its account page lists. */
export async function listLiveSessions(adminUserId: string) {
  return db.adminSession.findMany({
    where: { adminUserId, revokedAt: null, expiresAt: { gt: new Date() } },
    select: { id: true, createdAt: true, lastSeenAt: true, userAgent: true },
    orderBy: { createdAt: 'desc' },
  });
}
