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
 * The last word before SMTP, taken once the message has a send slot (the claim's consent read may be
 * seconds old by then). Stamps the message `send_started_at` and commits, THEN reads the contact's
 * consent. An opt-out commits its change, then waits for the contact's stamped messages. Either this
 * read sees the opt-out, or the opt-out committed after the read began, hence after the stamp, and
 * its own look finds the stamp and waits for this send to finish: in both orders no message starts
 * its SMTP transaction after the opt-out has answered, and neither side takes a lock. A campaign
 * message reads its campaign's status the same way, from the database rather than the workers' cache:
 * a pause or cancel answers only once the campaign's stamped messages are final
 * (campaigns/wait-for-campaign-sends.ts), so none starts SMTP after it.
 */
export async function startSending(
  db: Db,
  { claim, workerId }: { claim: Claim; workerId: string },
): Promise<SendStart> {
  const stamped = await db.$executeRaw(Prisma.sql`
    UPDATE messages SET send_started_at = now()
     WHERE id = ${claim.messageId}::uuid AND status = 'sending' AND claimed_by = ${workerId}::uuid
       AND EXISTS (SELECT 1 FROM worker_leases WHERE id = ${workerId}::uuid AND expires_at > now())`);
  if (stamped === 0) return { outcome: 'lost' };
  const [[state], campaign] = await Promise.all([
    loadDeliveryStates(db, [
      { contactId: claim.contactId, categoryKey: claim.categoryKey, messageId: claim.messageId },
    ]),
    claim.campaignId
      ? db.campaign.findUnique({ where: { id: claim.campaignId }, select: { status: true } })
      : undefined,
  ]);
  if (claim.campaignId) {
    if (!campaign || campaign.status === 'cancelled')
      return { outcome: 'blocked', reason: 'campaign-cancelled' };
    if (campaign.status !== 'sending' && campaign.status !== 'sent')
      return { outcome: 'parked', reason: `campaign-${campaign.status}` };
  }
  if (!state) return { outcome: 'blocked', reason: 'no-address' };
  const decision = decideDelivery(state.decisionInput);
  if (!decision.allowed) return { outcome: 'blocked', reason: decision.reason };
  if (!state.contact.email) return { outcome: 'blocked', reason: 'no-address' };
  return { outcome: 'start', state, email: state.contact.email };
}
