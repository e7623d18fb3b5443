/** SQLSTATEs of a session the server ended: an administrator (pg_terminate_backend), a crash, a shutdown. */
const ENDED_SESSION_CODES = new Set(['57P01', '57P02', '57P03']);
/** The server's words for an ended session, when a wrapper kept only the message. */
const ENDED_SESSION_MESSAGE = /terminating connection due to/i;

/**
 * Whether a database call failed because the server ended its session (pg_terminate_backend, a
 * failover or restart: SQLSTATE 57P01-57P03, or a connection exception, class 08) rather than because
 * of the statement itself: a statement cut off like that did not commit, and the same statement may
 * be tried again at once on another connection, since the server accepts new ones. A database that
 * cannot be reached at all (refused, silent, a socket closed without a word) is not such a loss:
 * trying again at once would not help, and the caller's own retry with backoff is the answer there.
 * Looks through Prisma's wrappers (the driver adapter's error and its cause).
 */
export function isConnectionLost(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const fields = current as Record<string, unknown>;
    for (const code of [fields.code, fields.originalCode]) {
      if (typeof code === 'string' && (ENDED_SESSION_CODES.has(code) || code.startsWith('08'))) return true;
    }
    if (typeof fields.message === 'string' && ENDED_SESSION_MESSAGE.test(fields.message)) return true;
    const meta = fields.meta as Record<string, unknown> | undefined;
    pending.push(fields.cause, meta?.driverAdapterError);
  }
  return false;
}
