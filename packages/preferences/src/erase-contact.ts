import { z } from 'zod';
import { toPrismaConsentSource } from './consent-source.js';
import type { DbClient } from './db-client.js';
import { hashAddress } from './hash-address.js';
import { lockContact } from './lock-contact.js';
import { parseInput } from './parse-input.js';

const EraseContactOptionsSchema = z.object({
  contactId: z.guid(),
  actor: z.string().min(1),
  source: z.enum(['admin', 'api']).default('api'),
});

type EraseContactOptions = z.input<typeof EraseContactOptionsSchema>;

/**
 * Removes a contact's personal data in one transaction. What stays: the contact's id (the
 * consent log, which is append-only proof, points at it) and a suppression keyed by the
 * address hash, so a later import cannot subscribe the person again. Erasing an erased
 * contact does nothing.
 */
export async function eraseContact(db: DbClient, options: EraseContactOptions): Promise<{ erased: boolean }> {
  const input = parseInput(EraseContactOptionsSchema, options, 'eraseContact');

  return db.$transaction(async (tx) => {
    const contact = await lockContact(tx, { contactId: input.contactId, allowErased: true });
    if (contact.erasedAt) return { erased: false };

    if (contact.email) {
      // The address may already be suppressed for erasure: an earlier contact with it left.
      await tx.suppression.createMany({
        data: [{ addressHash: hashAddress(contact.email), reason: 'erasure', contactId: contact.id }],
        skipDuplicates: true,
      });
    }

    await tx.preference.deleteMany({ where: { contactId: contact.id } });
    // Message data holds what templates were filled with (names, links): personal data too.
    await tx.message.updateMany({ where: { contactId: contact.id }, data: { data: {} } });
    // Bounce and complaint reports quote diagnostics that name the address.
    await tx.feedbackReport.updateMany({ where: { contactId: contact.id }, data: { detail: null } });
    await tx.contact.update({
      where: { id: contact.id },
      data: {
        email: null,
        name: null,
        externalId: null,
        attributes: {},
        // Locale and time zone hint at where someone lives; the defaults say nothing.
        locale: 'en',
        timezone: 'UTC',
        erasedAt: new Date(),
      },
    });
    await tx.consentLogEntry.create({
      data: {
        contactId: contact.id,
        categoryKey: null,
        action: 'suppress',
        source: toPrismaConsentSource(input.source),
        actor: input.actor,
        reason: 'erasure',
      },
    });
    return { erased: true };
  });
}
