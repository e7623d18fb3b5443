import type { Db } from '@herald/db';
import { parseBounceAddress, verifyBounceToken, type SigningKey } from '@herald/preferences';
import { type MailtoTarget, resolveUnsubscribeAddress } from './unsubscribe-by-mail.js';

/** What a recipient address accepted by the inbound listener is for. */
export type InboundRecipient =
  | { kind: 'unsubscribe'; target: MailtoTarget }
  /** Reports to a message's envelope sender: the token names the message. */
  | { kind: 'bounce'; messageId: string }
  /** The feedback-loop address: complaint reports, matched by what they quote. */
  | { kind: 'feedback-loop' };

/**
 * The three kinds of recipient the listener accepts: `unsubscribe+{token}@MAIL_DOMAIN` of an
 * existing message, `bounce+{token}@MAIL_DOMAIN` with a valid token, and the feedback-loop
 * address. Null refuses any other at RCPT, so a relay never takes responsibility for mail to it.
 * A bounce token is only verified, not looked up: a report for a message that does not exist is
 * recorded unmatched, and the check costs no database round trip at RCPT.
 */
export async function resolveInboundRecipient(
  db: Db,
  {
    address,
    mailDomain,
    feedbackLoopAddress,
    keys,
  }: { address: string; mailDomain: string; feedbackLoopAddress: string; keys: SigningKey[] },
): Promise<InboundRecipient | null> {
  if (address.trim().toLowerCase() === feedbackLoopAddress.toLowerCase()) return { kind: 'feedback-loop' };
  const bounceToken = parseBounceAddress(address, mailDomain);
  if (bounceToken) {
    const verified = verifyBounceToken(bounceToken, keys);
    return verified.ok ? { kind: 'bounce', messageId: verified.payload.messageId } : null;
  }
  const target = await resolveUnsubscribeAddress(db, { address, mailDomain, keys });
  return target ? { kind: 'unsubscribe', target } : null;
}
