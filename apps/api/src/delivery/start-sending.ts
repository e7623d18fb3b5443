import { Prisma, type Db } from '@herald/db';
import { decideDelivery, loadDeliveryStates, type DeliveryState } from '@herald/preferences';
import type { Claim } from './claim-and-record.js';

export type SendStart =
  | { outcome: 'start'; state: DeliveryState; email: string }
  | { outcome: 'blocked'; reason: string }
  /** Another worker has taken the claim over meanwhile: this one must not send. */
  | { outcome: 'lost' };

/**
 * The last word before SMTP, taken once the message has a send slot (the claim's consent read may be
 * seconds old by then). Stamps the message `send_started_at` and commits, THEN reads the contact's
 * consent. An opt-out commits its change, then waits for the contact's stamped messages. Either this
 * read sees the opt-out, or the opt-out committed after the read began, hence after the stamp, and
 * its own look finds the stamp and waits for this send to finish: in both orders no message starts
 * its SMTP transaction after the opt-out has answered, and neither side takes a lock.
 */
export async function startSending(
  db: Db,
  { claim, workerId }: { claim: Claim; workerId: string },
): Promise<SendStart> {
  const stamped = await db.$executeRaw(Prisma.sql`
    UPDATE messages SET send_started_at = now()
     WHERE id = ${claim.messageId}::uuid AND status = 'sending' AND claimed_by = ${workerId}::uuid`);
  if (stamped === 0) return { outcome: 'lost' };
  const [state] = await loadDeliveryStates(db, [
    { contactId: claim.contactId, categoryKey: claim.categoryKey },
  ]);
  if (!state) return { outcome: 'blocked', reason: 'no-address' };
  const decision = decideDelivery(state.decisionInput);
  if (!decision.allowed) return { outcome: 'blocked', reason: decision.reason };
  if (!state.contact.email) return { outcome: 'blocked', reason: 'no-address' };
  return { outcome: 'start', state, email: state.contact.email };
}
