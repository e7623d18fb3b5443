import { z } from 'zod';
import type { DbClient } from './db-client.js';
import { parseInput } from './parse-input.js';
import { PreferencesError } from './preferences-error.js';

const RevokeLinksOptionsSchema = z.object({ contactId: z.guid() });

/**
 * Revokes every preference and confirmation link issued to the contact so far, by moving its token
 * epoch past theirs: they can still unsubscribe (harmless), never subscribe or show the preference
 * center. Mail sent from now on carries the new epoch. Consent itself does not change, so nothing
 * is written to the consent log.
 */
export async function revokeLinks(
  db: DbClient,
  options: { contactId: string },
): Promise<{ tokenEpoch: number }> {
  const { contactId } = parseInput(RevokeLinksOptionsSchema, options, 'revokeLinks');
  const rows = await db.$queryRaw<{ token_epoch: number }[]>`
    UPDATE contacts SET token_epoch = token_epoch + 1, updated_at = now() AT TIME ZONE 'UTC'
    WHERE id = ${contactId}::uuid
    RETURNING token_epoch`;
  const row = rows[0];
  if (!row) throw new PreferencesError('unknown-contact', `contact ${contactId} does not exist`);
  return { tokenEpoch: row.token_epoch };
}
