import type { Tx } from '@herald/db';
import { PreferencesError } from './preferences-error.js';

type LockedContact = {
  id: string;
  email: string | null;
  promotionalOptOut: boolean;
  promotionalDefaults: boolean;
  tokenEpoch: number;
  clickTrackingOff: boolean;
  erasedAt: Date | null;
};

type LockedContactRow = {
  id: string;
  email: string | null;
  promotional_opt_out: boolean;
  promotional_defaults: boolean;
  token_epoch: number;
  click_tracking_off: boolean;
  erased_at: Date | null;
};

/**
 * Locks the contact row for the rest of the transaction. Every writer of a contact's
 * consent state takes this lock first, so reads made after it are current and two
 * identical requests cannot both see "subscribed" and both log an unsubscribe.
 */
export async function lockContact(
  tx: Tx,
  options: { contactId: string; allowErased?: boolean },
): Promise<LockedContact> {
  const rows = await tx.$queryRaw<LockedContactRow[]>`
    SELECT id::text, email, promotional_opt_out, promotional_defaults, token_epoch, click_tracking_off, erased_at
    FROM contacts WHERE id = ${options.contactId}::uuid
    FOR UPDATE`;
  const row = rows[0];
  if (!row) throw new PreferencesError('unknown-contact', `contact ${options.contactId} does not exist`);
  if (row.erased_at && !options.allowErased) {
    throw new PreferencesError('erased-contact', `contact ${options.contactId} has been erased`);
  }
  return {
    id: row.id,
    email: row.email,
    promotionalOptOut: row.promotional_opt_out,
    promotionalDefaults: row.promotional_defaults,
    tokenEpoch: row.token_epoch,
    clickTrackingOff: row.click_tracking_off,
    erasedAt: row.erased_at,
  };
}
