import { Prisma, type Db } from '@herald/db';
import { decideDelivery, loadDeliveryStates, type DeliveryState } from '@herald/preferences';
import type { Claim } from './claim-and-record.js';

export type SendStart =
  | { outcome: 'start'; state: DeliveryState; email: string }
  | { outcome: 'blocked'; reason: string }
  /** Its campaign was paused while it waited: it goes back to `queued` for the resume. */
  | { outcome: 'parked'; reason: string }
  /** Another worker has taken the claim over meanwhile: this one must not send. */
  | { outcome: 'lost' };

/**
 * The last word before SMTP, taken once each message has a send slot (the claim's consent read may
 * be seconds old by then). Stamps the messages `send_started_at` and commits, THEN reads their
 * contacts' consent. An opt-out commits its change, then waits for the contact's stamped messages.
 * Either this read sees the opt-out, or the opt-out committed after the read began, hence after the
 * stamp, and its own look finds the stamp and waits for this send to finish: in both orders no message
 * starts its SMTP transaction after the opt-out has answered, and neither side takes a lock. A
 * campaign message reads its campaign's status the same way, from the database rather than the
 * workers' cache: a pause or cancel answers only once the campaign's stamped messages are final
 * (campaigns/wait-for-campaign-sends.ts), so none starts SMTP after it.
 *
 * For many messages at once (the messages whose slots came free together, gathered by the delivery
 * store's batcher): one stamp and one read for the lot, instead of three round trips per message
 * while its SMTP connection waits. Each claim is stamped only under the lease it was made with: a
 * claim held from before its worker lost its lease (another worker may have taken it over) is lost.
 */
export async function startSendingBatch(db: Db, claims: Claim[]): Promise<SendStart[]> {
  if (claims.length === 0) return [];
  const stampedRows = await db.$queryRaw<{ id: string }[]>(Prisma.sql`/* herald:named */
    UPDATE messages m SET send_started_at = now()
      FROM unnest(${claims.map((c) => c.messageId)}::uuid[], ${claims.map((c) => c.leaseId)}::uuid[])
           AS c(id, worker_id)
     -- status as text: the rows are found by id alone, never through the status index.
     WHERE m.id = c.id AND m.status::text = 'sending' AND m.claimed_by = c.worker_id
       AND EXISTS (SELECT 1 FROM worker_leases l WHERE l.id = c.worker_id AND l.expires_at > now())
 RETURNING m.id::text`);
  const stamped = new Set(stampedRows.map((row) => row.id));
  const started = claims.filter((c) => stamped.has(c.messageId));
  const campaignIds = [...new Set(started.flatMap((c) => (c.campaignId ? [c.campaignId] : [])))];
  const [states, campaigns] = await Promise.all([
    loadDeliveryStates(
      db,
      started.map((c) => ({ contactId: c.contactId, categoryKey: c.categoryKey, messageId: c.messageId })),
    ),
    campaignIds.length === 0
      ? []
      : db.$queryRaw<{ id: string; status: string }[]>(Prisma.sql`
          SELECT id::text, status::text FROM campaigns WHERE id = ANY(${campaignIds}::uuid[])`),
  ]);
  const stateById = new Map(started.map((c, index) => [c.messageId, states[index] ?? null]));
  const campaignStatus = new Map(campaigns.map((row) => [row.id, row.status]));
  return claims.map((claim) => {
    if (!stamped.has(claim.messageId)) return { outcome: 'lost' };
    if (claim.campaignId) {
      const status = campaignStatus.get(claim.campaignId);
      if (status === undefined || status === 'cancelled')
        return { outcome: 'blocked', reason: 'campaign-cancelled' };
      if (status !== 'sending' && status !== 'sent')
        return { outcome: 'parked', reason: `campaign-${status}` };
    }
    const state = stateById.get(claim.messageId);
    if (!state) return { outcome: 'blocked', reason: 'no-address' };
    const decision = decideDelivery(state.decisionInput);
    if (!decision.allowed) return { outcome: 'blocked', reason: decision.reason };
    if (!state.contact.email) return { outcome: 'blocked', reason: 'no-address' };
    return { outcome: 'start', state, email: state.contact.email };
  });
}
