import type { Db } from '@herald/db';
import {
  applyUnsubscribe,
  type SigningKey,
  verifyMailtoToken,
  waitForInFlightDeliveries,
} from '@herald/preferences';
import { countConsentWrites } from '../metrics/count-consent-writes.js';
import { parseUnsubscribeAddress } from './parse-unsubscribe-address.js';

export interface MailtoTarget {
  messageId: string;
  contactId: string;
  categoryKey: string;
  campaignId: string | null;
}

/** Resolves a recipient address to the message it unsubscribes from; null refuses the address. */
export async function resolveUnsubscribeAddress(
  db: Db,
  { address, mailDomain, keys }: { address: string; mailDomain: string; keys: SigningKey[] },
): Promise<MailtoTarget | null> {
  const token = parseUnsubscribeAddress(address, mailDomain);
  if (!token) return null;
  const verified = verifyMailtoToken(token, keys);
  if (!verified.ok) return null;
  const message = await db.message.findUnique({
    where: { id: verified.payload.messageId },
    select: { id: true, contactId: true, categoryKey: true, campaignId: true },
  });
  return message
    ? {
        messageId: message.id,
        contactId: message.contactId,
        categoryKey: message.categoryKey,
        campaignId: message.campaignId,
      }
    : null;
}

/**
 * The mail arrived: unsubscribe the message's category for its contact (source "mailto"), then wait
 * for sends that read the old consent, so that once the SMTP server answers DATA nothing more goes out.
 */
export async function unsubscribeByMail(db: Db, target: MailtoTarget, receivedAt?: Date) {
  const result = await applyUnsubscribe(db, {
    ...(receivedAt && { requestedAt: receivedAt }),
    contactId: target.contactId,
    scope: { kind: 'category', categoryKey: target.categoryKey },
    source: 'mailto',
    messageId: target.messageId,
    ...(target.campaignId && { campaignId: target.campaignId }),
  });
  countConsentWrites('mailto', result.changed.length);
  await waitForInFlightDeliveries(db, { contactId: target.contactId });
  return result;
}
