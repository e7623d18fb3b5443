import { z } from 'zod';
import { toPrismaConsentSource } from './consent-source.js';
import type { DbClient } from './db-client.js';
import { addressHashes, normalizeAddress } from './hash-address.js';
import { parseInput } from './parse-input.js';
import { SuppressionReasonValueSchema, toPrismaSuppressionReason } from './suppression-reason.js';

const SuppressAddressOptionsSchema = z.object({
  email: z.string().min(1),
  contactId: z.guid().optional(),
  reason: SuppressionReasonValueSchema,
  source: z.enum(['bounce', 'complaint', 'admin', 'api']),
  detail: z.string().optional(),
  /** Who added it, for an operator's manual suppression (the consent log's actor). */
  actor: z.string().min(1).max(200).optional(),
  messageId: z.guid().optional(),
  campaignId: z.guid().optional(),
  /**
   * Who to name in the audit log (a person or key's change through the console or the API); the
   * row, keyed by the address's hash, is written in the same transaction when something was added.
   */
  auditActor: z.string().min(1).max(300).optional(),
});

type SuppressAddressOptions = z.input<typeof SuppressAddressOptionsSchema>;

/**
 * Adds the address to the suppression list (keyed by its hash and the reason) and, when
 * the address belongs to a contact, logs a `suppress` entry in the same transaction.
 * Suppressing an address twice for the same reason changes and logs nothing.
 */
export async function suppressAddress(
  db: DbClient,
  options: SuppressAddressOptions,
): Promise<{ created: boolean; contactId: string | null }> {
  const input = parseInput(SuppressAddressOptionsSchema, options, 'suppressAddress');
  const [addressHash, legacyHash] = addressHashes(input.email);
  const reason = toPrismaSuppressionReason(input.reason);

  return db.$transaction(async (tx) => {
    // Bounce and complaint feedback names an address, not a contact: find its owner.
    const contact = input.contactId
      ? await tx.contact.findUnique({ where: { id: input.contactId }, select: { id: true } })
      : await tx.contact.findUnique({
          where: { email: normalizeAddress(input.email) },
          select: { id: true },
        });
    const contactId = contact?.id ?? null;

    // Suppressed for this reason before keyed hashes: already on the list, nothing to add or log.
    const legacy = await tx.suppression.findUnique({
      where: { addressHash_reason: { addressHash: legacyHash, reason } },
      select: { id: true },
    });
    if (legacy) return { created: false, contactId };

    const { count } = await tx.suppression.createMany({
      data: [
        {
          addressHash,
          reason,
          contactId,
          detail: input.detail ?? null,
        },
      ],
      skipDuplicates: true,
    });
    const created = count > 0;
    if (created && input.auditActor) {
      await tx.auditLogEntry.create({
        data: {
          actor: input.auditActor,
          action: 'suppression.added',
          targetType: 'address-hash',
          targetId: addressHash,
          details: { reason: input.reason, contactId, detail: input.detail ?? null },
        },
      });
    }
    if (created && contactId) {
      await tx.consentLogEntry.create({
        data: {
          contactId,
          categoryKey: null,
          action: 'suppress',
          source: toPrismaConsentSource(input.source),
          reason: input.reason,
          actor: input.actor ?? null,
          messageId: input.messageId ?? null,
          campaignId: input.campaignId ?? null,
        },
      });
    }
    return { created, contactId };
  });
}
