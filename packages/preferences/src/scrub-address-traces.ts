import type { Tx } from '@herald/db';
import { addressHashes } from './hash-address.js';

/** What stands in for an erased address in the text around it (an SMTP reply, a report). */
export const ERASED_ADDRESS = '[erased address]';

/**
 * Removes what links an erased contact to its address, inside the erasure's transaction: the text
 * that quotes the address (the SMTP replies in its messages' reasons and events, the diagnostics of
 * bounce and complaint reports, the suppressions' details), the reports' address hashes and the
 * address's soft-bounce count. The address's suppressions stay, since they are what keeps it from
 * being mailed, but under the keyed hash only (rows from before keyed hashes are re-keyed) and with no
 * contact id, so nothing left joins the erased contact to them. The erasure suppression itself is
 * written here, the same way.
 */
export async function scrubAddressTraces(
  tx: Tx,
  { contactId, email }: { contactId: string; email: string | null },
): Promise<void> {
  if (email) {
    const [keyed, legacy] = addressHashes(email);
    // Case-insensitive: a server may quote the address as it was typed, not as it was stored.
    const quoted = email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await tx.$executeRaw`
      UPDATE messages SET reason = regexp_replace(reason, ${quoted}, ${ERASED_ADDRESS}, 'gi')
       WHERE contact_id = ${contactId}::uuid AND reason ~* ${quoted}`;
    await tx.$executeRaw`
      UPDATE message_events e
         SET detail = regexp_replace(e.detail::text, ${quoted}, ${ERASED_ADDRESS}, 'gi')::jsonb
        FROM messages m
       WHERE m.id = e.message_id AND m.contact_id = ${contactId}::uuid AND e.detail::text ~* ${quoted}`;
    await tx.$executeRaw`
      UPDATE suppressions s SET address_hash = ${keyed}
       WHERE s.address_hash = ${legacy}
         AND NOT EXISTS (SELECT 1 FROM suppressions k WHERE k.address_hash = ${keyed} AND k.reason = s.reason)`;
    await tx.$executeRaw`DELETE FROM suppressions WHERE address_hash = ${legacy}`;
    // The address may already be suppressed for erasure: an earlier contact with it left.
    await tx.$executeRaw`
      INSERT INTO suppressions (id, address_hash, reason, contact_id, created_at)
      VALUES (gen_random_uuid(), ${keyed}, 'erasure', NULL, now())
      ON CONFLICT (address_hash, reason) DO NOTHING`;
    await tx.$executeRaw`DELETE FROM soft_bounce_counts WHERE address_hash IN (${keyed}, ${legacy})`;
    await tx.$executeRaw`
      UPDATE suppressions SET contact_id = NULL, detail = NULL WHERE address_hash = ${keyed}`;
    await tx.$executeRaw`
      UPDATE feedback_reports SET detail = NULL, address_hash = NULL WHERE address_hash IN (${keyed}, ${legacy})`;
  }
  // Also what is recorded under the contact for an address it held before.
  await tx.$executeRaw`UPDATE suppressions SET contact_id = NULL, detail = NULL WHERE contact_id = ${contactId}::uuid`;
  await tx.$executeRaw`
    UPDATE feedback_reports SET detail = NULL, address_hash = NULL WHERE contact_id = ${contactId}::uuid`;
}
