import { z } from 'zod';
import { toPrismaConsentSource } from './consent-source.js';
import type { DbClient } from './db-client.js';
import { lockContact } from './lock-contact.js';
import { parseInput } from './parse-input.js';
import { scrubAddressTraces } from './scrub-address-traces.js';
import { scrubConsentLogClients } from './scrub-consent-log-clients.js';

const EraseContactOptionsSchema = z.object({
  contactId: z.guid(),
  actor: z.string().min(1),
  source: z.enum(['admin', 'api']).default('api'),
});

type EraseContactOptions = z.input<typeof EraseContactOptionsSchema>;

/**
 * Removes a contact's personal data in one transaction. What stays: the contact's id (the
 * consent log, which is append-only proof, points at it, stripped of user agents and client
 * address hashes) and a suppression keyed by the address's keyed hash and linked to no contact,
 * so a later import cannot subscribe the person again. No row keeps the address or text quoting
 * it (scrub-address-traces.ts). Erasing an erased contact does nothing.
 */
export async function eraseContact(db: DbClient, options: EraseContactOptions): Promise<{ erased: boolean }> {
  const input = parseInput(EraseContactOptionsSchema, options, 'eraseContact');

  return db.$transaction(async (tx) => {
    const contact = await lockContact(tx, { contactId: input.contactId, allowErased: true });
    if (contact.erasedAt) return { erased: false };

    await scrubAddressTraces(tx, { contactId: contact.id, email: contact.email });
    const cleared = await scrubConsentLogClients(tx, contact.id);

    await tx.preference.deleteMany({ where: { contactId: contact.id } });
    // Message data holds what templates were filled with (names, links): personal data too.
    await tx.message.updateMany({ where: { contactId: contact.id }, data: { data: {} } });
    // Which links the person followed (docs/decisions/022-click-tracking.md): their reading habits.
    await tx.linkClick.deleteMany({ where: { message: { contactId: contact.id } } });
    // Its sign-in links: an erased contact has no account to sign in to.
    await tx.signInToken.deleteMany({ where: { contactId: contact.id } });
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
        reason:
          cleared > 0
            ? `erasure; user agent and client address hash cleared from ${cleared} earlier entries`
            : 'erasure',
      },
    });
    return { erased: true };
  });
}
