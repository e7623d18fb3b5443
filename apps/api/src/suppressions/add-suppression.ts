import type { AddSuppressionInput, SuppressionView } from '@herald/contract';
import type { Db } from '@herald/db';
import { addressHashes, suppressAddress, waitForInFlightDeliveries } from '@herald/preferences';
import { countConsentWrites } from '../metrics/count-consent-writes.js';

/**
 * Suppresses an address by hand, through the consent domain (the suppression and its consent-log
 * row in one transaction; source `admin` when a person is named, else `api`). Like every opt-out it
 * answers once no message it blocks can still start its SMTP transaction: it waits for the
 * contact's messages already sending.
 */
export async function addSuppression(
  db: Db,
  input: AddSuppressionInput,
): Promise<{ created: boolean; suppression: SuppressionView }> {
  const { created, contactId } = await suppressAddress(db, {
    email: input.email,
    reason: input.reason,
    source: input.actor ? 'admin' : 'api',
    ...(input.actor && { actor: input.actor }),
    ...(input.detail && { detail: input.detail }),
  });
  countConsentWrites(input.actor ? 'admin' : 'api', created ? 1 : 0);
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
