import type { Db } from '@herald/db';
import { loadDeliveryStates, type DeliveryState } from '@herald/preferences';
import { createBatcher } from './batcher.js';
import { type Claim, claimMessages, type Outcome, recordOutcomes } from './claim-and-record.js';

type ClaimedMessage = Claim & { state: DeliveryState | null };

export interface DeliveryStore {
  /** Claims a message and reads its contact's consent state as it is now; null if not claimable. */
  claim(messageId: string): Promise<ClaimedMessage | null>;
  /** Records a claimed message's outcome with its event; false if the claim was lost meanwhile. */
  record(outcome: Outcome): Promise<boolean>;
}

/**
 * The worker's database access. Concurrent jobs share round trips: their claims, state reads and
 * outcomes are batched (three queries to claim and read a batch, one to record one). Claims are made
 * and recorded in the name of `workerId`, this process's lease.
 */
export function createDeliveryStore(
  db: Db,
  {
    staleClaimMs,
    workerId,
    maxBatch = 100,
    maxWaitMs = 2,
  }: { staleClaimMs: number; workerId: string; maxBatch?: number; maxWaitMs?: number },
): DeliveryStore {
  const claim = createBatcher<string, ClaimedMessage | null>(
    async (messageIds) => {
      const claims = await claimMessages(db, { messageIds, staleAfterMs: staleClaimMs, workerId });
      const claimed = claims.filter((c): c is Claim => c !== null);
      const states = await loadDeliveryStates(
        db,
        claimed.map((c) => ({ contactId: c.contactId, categoryKey: c.categoryKey })),
      );
      const stateById = new Map(claimed.map((c, index) => [c.messageId, states[index] ?? null]));
      return claims.map((c) => (c ? { ...c, state: stateById.get(c.messageId) ?? null } : null));
    },
    { maxBatch, maxWaitMs },
  );
  const record = createBatcher<Outcome, boolean>((outcomes) => recordOutcomes(db, outcomes, { workerId }), {
    maxBatch,
    maxWaitMs,
  });
  return { claim, record };
}
