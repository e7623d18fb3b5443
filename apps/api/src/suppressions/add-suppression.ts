import type { AddSuppressionInput, SuppressionView } from '@herald/contract';
import type { Db } from '@herald/db';
import { addressHashes, suppressAddress, waitForInFlightDeliveries } from '@herald/preferences';
import { countConsentWrites } from '../metrics/count-consent-writes.js';

/**
 * Suppresses an address by hand, through the consent domain (the suppression and its consent-log
 * row, and the audit row naming the caller, in one transaction; source `admin` when a person is
 * named, else `api`). Like every opt-out it
 * answers once no message it blocks can still start its SMTP transaction: it waits for the
 * contact's messages already sending.
 */
export async function addSuppression(
  db: Db,
  input: AddSuppressionInput,
  caller: { actor: string; console: boolean },
): Promise<{ created: boolean; suppression: SuppressionView }> {
  // Through the console the consent log names the person signed in, whatever the body says.
  const actor = caller.console ? caller.actor : input.actor;
  const { created, contactId } = await suppressAddress(db, {
    email: input.email,
    reason: input.reason,
    source: actor ? 'admin' : 'api',
    ...(actor && { actor }),
    ...(input.detail && { detail: input.detail }),
    auditActor: caller.actor,
  });
  countConsentWrites(actor ? 'admin' : 'api', created ? 1 : 0);
  if (created && contactId) await waitForInFlightDeliveries(db, { contactId });
  // Under the keyed hash, or the legacy one of a suppression from before keyed hashes.
  const row = await db.suppression.findFirstOrThrow({
    where: { addressHash: { in: addressHashes(input.email) }, reason: prismaReason(input.reason) },
  });
  return {
    created,
    suppression: {
      id: row.id,
      email: input.email,
      addressHash: row.addressHash,
      reason: input.reason,
      contactId: row.contactId,
      detail: row.detail,
      createdAt: row.createdAt.toISOString(),
    },
  };
}

const prismaReason = (reason: AddSuppressionInput['reason']) =>
  reason === 'hard-bounce' ? 'hard_bounce' : reason;
