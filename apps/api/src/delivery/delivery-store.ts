import { type Db, Prisma } from '@herald/db';
import { loadDeliveryStates, type DeliveryState } from '@herald/preferences';
import type { GuardrailSettings } from '../campaigns/campaign-guardrails.js';
import { coalesceCalls } from '../core/coalesce-calls.js';
import { createBatcher } from './batcher.js';
import { type Claim, claimMessages, type Outcome, recordOutcomes } from './claim-and-record.js';
import { retryOnConnectionLoss } from './retry-on-connection-loss.js';
import { type SendStart, startSendingBatch } from './start-sending.js';

/**
 * A claim is tried again for this long when its connection was lost: claiming twice is safe (a claim
 * that did commit is this worker's own, not busy, and is taken again).
 */
const CLAIM_RETRY_MS = 1000;
/**
 * A claim is given back for this long when its connection was lost (the statement that follows a
 * terminated session often meets another of the pool's ended sessions). A claim left behind under
 * this worker's live lease would wait for STALE_CLAIM_MS and the reconciler: the job's retry, if
 * another worker runs it, finds the message claimed and skips it.
 */
const RELEASE_RETRY_MS = 3000;

type ClaimedMessage = Claim & { state: DeliveryState | null };

export interface DeliveryStore {
  /** Claims a message and reads its contact's consent state as it is now; null if not claimable. */
  claim(messageId: string): Promise<ClaimedMessage | null>;
  /**
   * The last word before SMTP, once the message has its send slot: stamps it and reads its consent
   * (and campaign) as they are now (start-sending.ts); messages starting together share the round trips.
   */
  startSending(claim: Claim): Promise<SendStart>;
  /** Records a claimed message's outcome with its event; false if the claim was lost meanwhile. */
  record(outcome: Outcome): Promise<boolean>;
  /**
   * Notes that deliveries of these messages run in this worker until the returned function is called:
   * meanwhile this worker's own claims on them are not claimed again, nor given back.
   */
  track(messageIds: string[]): () => void;
  /**
   * Gives back this worker's claims on these messages ("queued", no holder, a `released` event) for a
   * delivery that failed before the SMTP server accepted them, so their next job can claim them.
   * Claims another delivery here still uses are kept. Answers how many were given back.
   */
  release(messageIds: string[], reason: string): Promise<number>;
  /**
   * This worker's claims that no delivery here holds any more: a delivery whose database writes
   * failed past their retries ends leaving its claim (`sending`, under this worker's live lease),
   * which no other worker may take and no job of this one would come back for. Looked for only
   * after such a failure (an empty list otherwise, without a query); each comes with the moment it
   * was claimed, so that taking it over can skip one claimed again since. A caller that could not
   * settle them calls `lookAgain`.
   */
  claimsLeftBehind(): Promise<ClaimLeftBehind[]>;
  /** The next `claimsLeftBehind` looks, whether or not a delivery failed meanwhile. */
  lookAgain(): void;
}

/** A claim of this worker's that no delivery holds; `claimedAt` is PostgreSQL's text of the time. */
export type ClaimLeftBehind = { id: string; claimedAt: string };

/**
 * The worker's database access. Concurrent jobs share round trips: their claims, state reads, send
 * starts and outcomes are batched (three queries to claim and read a batch, three to start sending
 * one, one to record one). Claims are made and recorded in the name of `workerId`, this process's
 * current lease (read at each batch: a lease lost and replaced leaves the claims made under the old
 * one unrecordable here).
 */
export function createDeliveryStore(
  db: Db,
  {
    staleClaimMs,
    workerId,
    maxBatch = 100,
    maxWaitMs = 2,
    sentMarks,
    guardrails,
  }: {
    staleClaimMs: number;
    workerId: string | (() => string);
    maxBatch?: number;
    maxWaitMs?: number;
    /** The messages a worker marked as accepted by the SMTP server (its sent marks in Redis). */
    sentMarks?: (workerId: string) => Promise<Set<string>>;
    /**
     * The campaign guardrails' settings: an outcome write that moves a campaign's blocked run or hard
     * bounces past a line checks the campaign and pauses it (campaigns/campaign-guardrails.ts).
     */
    guardrails?: GuardrailSettings;
  },
): DeliveryStore {
  const currentId = typeof workerId === 'string' ? () => workerId : workerId;
  const running = new Map<string, number>();
  // Failed database writes, counted: a delivery that saw one may have left its claim behind.
  let failures = 0;
  let leftBehind = false;
  // The ids tracked while claimsLeftBehind looks: a delivery that started meanwhile holds its claim.
  const looking = new Set<Set<string>>();
  const counted = <T>(run: Promise<T>): Promise<T> =>
    run.catch((error: unknown) => {
      failures += 1;
      throw error;
    });
  // Ids another delivery in this worker also runs (the caller's own delivery counts once).
  const busy = (ids: string[]) => ids.filter((id) => (running.get(id) ?? 0) > 1);
  const claim = createBatcher<string, ClaimedMessage | null>(
    (messageIds) =>
      counted(retryOnConnectionLoss(() => claimBatch(messageIds), { budgetMs: CLAIM_RETRY_MS })),
    { maxBatch, maxWaitMs },
  );
  async function claimBatch(messageIds: string[]): Promise<(ClaimedMessage | null)[]> {
    const leaseId = currentId();
    const claims = await skipAccepted(
      db,
      await claimMessages(db, {
        messageIds,
        staleAfterMs: staleClaimMs,
        workerId: leaseId,
        busy: busy(messageIds),
      }),
      { workerId: leaseId, sentMarks },
    );
    const claimed = claims.filter((c): c is Claim => c !== null);
    const states = await loadDeliveryStates(
      db,
      claimed.map((c) => ({ contactId: c.contactId, categoryKey: c.categoryKey, messageId: c.messageId })),
    );
    const stateById = new Map(claimed.map((c, index) => [c.messageId, states[index] ?? null]));
    return claims.map((c) => (c ? { ...c, state: stateById.get(c.messageId) ?? null } : null));
  }
  // Inside the send slot, where every millisecond holds an SMTP connection idle: no timer. A start
  // runs at once when none is in flight; those that come meanwhile go together in the next one.
  const startSending = coalesceCalls<Claim, SendStart>((claims) => counted(startSendingBatch(db, claims)), {
    concurrency: 2,
    maxBatch,
  });
  const record = createBatcher<Outcome, boolean>(
    (outcomes) =>
      counted(
        recordOutcomes(db, outcomes, {
          workerId: currentId(),
          ...(guardrails && { guardrails }),
        }),
      ),
    { maxBatch, maxWaitMs },
  );
  const track = (messageIds: string[]) => {
    for (const id of messageIds) running.set(id, (running.get(id) ?? 0) + 1);
    for (const seen of looking) for (const id of messageIds) seen.add(id);
    const failuresBefore = failures;
    return () => {
      for (const id of messageIds) {
        const left = (running.get(id) ?? 1) - 1;
        if (left > 0) running.set(id, left);
        else running.delete(id);
      }
      // Once the delivery has ended, after its last write: a failure while it ran may have left its claim.
      if (failures !== failuresBefore) leftBehind = true;
    };
  };
  const release = async (messageIds: string[], reason: string) => {
    const ids = messageIds.filter((id) => (running.get(id) ?? 0) <= 1);
    if (ids.length === 0) return 0;
    const giveBack = () =>
      db.$executeRaw(Prisma.sql`
      WITH released AS (
        UPDATE messages
           SET status = 'queued', claimed_at = NULL, claimed_by = NULL, updated_at = now()
         WHERE id = ANY(${ids}::uuid[]) AND status::text = 'sending' AND claimed_by = ${currentId()}::uuid
     RETURNING id)
      INSERT INTO message_events (message_id, type, detail)
      SELECT id, 'released', jsonb_build_object('reason', ${reason}::text) FROM released`);
    return counted(retryOnConnectionLoss(giveBack, { budgetMs: RELEASE_RETRY_MS }));
  };
  const claimsLeftBehind = async (): Promise<ClaimLeftBehind[]> => {
    if (!leftBehind) return [];
    leftBehind = false;
    const seen = new Set<string>();
    looking.add(seen);
    try {
      // Every delivery tracks its messages before it claims them and until after its last write, so a
      // claim of this lease that no delivery held at any moment of this look is one left behind.
      const rows = await db.$queryRaw<{ id: string; claimed_at: string }[]>(Prisma.sql`
        SELECT id::text, claimed_at::text FROM messages
         WHERE status = 'sending' AND claimed_by = ${currentId()}::uuid
           AND id <> ALL(${[...running.keys()]}::uuid[])
         LIMIT 1000`);
      // A page at a time: more than a page left behind is looked for again on the next call.
      if (rows.length === 1000) leftBehind = true;
      return rows
        .filter((row) => !seen.has(row.id) && !running.has(row.id))
        .map((row) => ({ id: row.id, claimedAt: row.claimed_at }));
    } catch (error) {
      leftBehind = true;
      throw error;
    } finally {
      looking.delete(seen);
    }
  };
  const lookAgain = () => {
    leftBehind = true;
  };
  return { claim, startSending, record, track, release, claimsLeftBehind, lookAgain };
}

/**
 * A claim taken over from a worker that had the message accepted by the SMTP server but could not
 * record it (it died, or the database was out of its reach) is recorded as sent from that worker's
 * mark, not sent again. If that worker's marks cannot be read (Redis away), its claims are handed
 * back to it as they were, to be taken over again once they can: sending now could send twice.
 */
async function skipAccepted(
  db: Db,
  claims: (Claim | null)[],
  {
    workerId,
    sentMarks,
  }: { workerId: string; sentMarks: ((workerId: string) => Promise<Set<string>>) | undefined },
): Promise<(Claim | null)[]> {
  const takenOver = claims.filter((c): c is Claim => c?.previousClaimant != null);
  if (!sentMarks || takenOver.length === 0) return claims;
  const accepted = new Set<string>();
  const handedBack = new Set<string>();
  for (const previous of new Set(takenOver.map((c) => c.previousClaimant as string))) {
    const marks = await sentMarks(previous).catch(() => null);
    for (const c of takenOver) {
      if (c.previousClaimant !== previous) continue;
      if (!marks) handedBack.add(c.messageId);
      else if (marks.has(c.messageId)) accepted.add(c.messageId);
    }
  }
  if (accepted.size > 0) {
    await recordOutcomes(
      db,
      [...accepted].map((messageId) => ({
        messageId,
        status: 'sent',
        event: 'sent',
        detail: { recovered: 'the SMTP server had accepted it before its claim was taken over' },
      })),
      { workerId },
    );
  }
  for (const c of takenOver) {
    if (!handedBack.has(c.messageId)) continue;
    await db.$executeRaw`
      UPDATE messages SET claimed_by = ${c.previousClaimant}::uuid, attempts = attempts - 1
       WHERE id = ${c.messageId}::uuid AND status = 'sending' AND claimed_by = ${workerId}::uuid`;
  }
  return claims.map((c) => (c && (accepted.has(c.messageId) || handedBack.has(c.messageId)) ? null : c));
}
