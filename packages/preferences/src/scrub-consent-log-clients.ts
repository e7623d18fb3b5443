import type { Tx } from '@herald/db';

/**
 * Clears the user agent and client address hash of the contact's consent-log entries, the one
 * change the log's append-only trigger lets through (migration erasure_scrub): the transaction names
 * the contact being erased in `herald.erasure`, and the update sets those two columns to NULL and
 * nothing else. The flag is unset again at once, so nothing later in the transaction has the
 * exception. Answers how many entries were cleared.
 */
export async function scrubConsentLogClients(tx: Tx, contactId: string): Promise<number> {
  await tx.$queryRaw`SELECT set_config('herald.erasure', ${contactId}, true)`;
  const cleared = await tx.$executeRaw`
    UPDATE consent_log SET user_agent = NULL, ip_hash = NULL
     WHERE contact_id = ${contactId}::uuid AND (user_agent IS NOT NULL OR ip_hash IS NOT NULL)`;
  await tx.$queryRaw`SELECT set_config('herald.erasure', '', true)`;
  return cleared;
}
