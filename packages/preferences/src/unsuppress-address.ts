import { z } from 'zod';
import { toPrismaConsentSource } from './consent-source.js';
import type { DbClient } from './db-client.js';
import { addressHashes, normalizeAddress } from './hash-address.js';
import { parseInput } from './parse-input.js';
import { PreferencesError } from './preferences-error.js';
import { SuppressionReasonValueSchema, type SuppressionReasonValue } from './suppression-reason.js';

const UnsuppressAddressOptionsSchema = z.object({
  email: z.string().min(1),
  /** Remove only this suppression; every removable one of the address when left out. */
  only: SuppressionReasonValueSchema.optional(),
  source: z.enum(['admin', 'api']),
  actor: z.string().trim().min(1).max(200),
  /** Why a person lifted it, in their words: the consent log keeps it. */
  reason: z.string().trim().min(3).max(1000),
  /** Who to name in the audit log (keyed by the address's hash), in the same transaction. */
  auditActor: z.string().min(1).max(300).optional(),
});

type UnsuppressAddressOptions = z.input<typeof UnsuppressAddressOptionsSchema>;

type RemovableReason = Exclude<SuppressionReasonValue, 'erasure'>;

/**
 * Lifts an address's suppressions (all of them, or `only` one reason) and, for each one removed,
 * logs an `unsuppress` entry with the actor and the written reason, in the same transaction. An
 * erasure suppression is never lifted here: it is what keeps an erased person from being subscribed
 * again, and only new consent may end it. Asking for it alone, or for an address whose only
 * suppression is it, is refused with `erasure-not-removable`; otherwise it stays and is reported in
 * `kept`. Nothing to remove answers `removed: []` and changes nothing.
 *
 * Lifting `soft-bounce-limit` also clears the address's soft-bounce count, so the next soft bounce
 * starts a new run instead of suppressing it again at once.
 */
export async function unsuppressAddress(
  db: DbClient,
  options: UnsuppressAddressOptions,
): Promise<{ removed: RemovableReason[]; kept: 'erasure'[]; contactId: string | null }> {
  const input = parseInput(UnsuppressAddressOptionsSchema, options, 'unsuppressAddress');
  // Its suppressions may be stored under the keyed or the legacy hash: both are lifted.
  const hashes = addressHashes(input.email);

  return db.$transaction(async (tx) => {
    const erased = await tx.suppression.findFirst({
      where: { addressHash: { in: hashes }, reason: 'erasure' },
      select: { id: true },
    });
    const kept: 'erasure'[] = erased ? ['erasure'] : [];
    if (input.only === 'erasure') {
      throw new PreferencesError(
        'erasure-not-removable',
        'an erasure suppression cannot be removed: it keeps an erased person from being mailed again until they give new consent',
        { address: normalizeAddress(input.email) },
      );
    }

    // DELETE … RETURNING: of two identical requests, only one removes (and logs) each row.
    const rows = await tx.$queryRaw<{ reason: RemovableReason; contact_id: string | null }[]>`
      DELETE FROM suppressions
       WHERE address_hash = ANY(${hashes}::text[])
         AND reason <> 'erasure'
         AND (${input.only ?? null}::text IS NULL OR reason::text = ${input.only ?? null}::text)
      RETURNING reason::text AS reason, contact_id::text`;
    if (rows.length === 0) {
      if (kept.length > 0 && !input.only) {
        throw new PreferencesError(
          'erasure-not-removable',
          'the address is suppressed only because its contact was erased, which cannot be removed',
          { address: normalizeAddress(input.email) },
        );
      }
      return { removed: [], kept, contactId: null };
    }
    const removed = [...new Set(rows.map((row) => row.reason))].sort();

    if (removed.includes('soft-bounce-limit')) {
      await tx.softBounceCount.deleteMany({ where: { addressHash: { in: hashes } } });
    }

    // The contact the suppression was recorded for, else the one holding the address now.
    const contactId =
      rows.find((row) => row.contact_id)?.contact_id ??
      (
        await tx.contact.findUnique({
          where: { email: normalizeAddress(input.email) },
          select: { id: true },
        })
      )?.id ??
      null;
    if (contactId) {
      await tx.consentLogEntry.createMany({
        data: removed.map((reason) => ({
          contactId,
          categoryKey: null,
          action: 'unsuppress' as const,
          source: toPrismaConsentSource(input.source),
          actor: input.actor,
          reason: `${reason}: ${input.reason}`,
        })),
      });
    }
    if (input.auditActor) {
      await tx.auditLogEntry.create({
        data: {
          actor: input.auditActor,
          action: 'suppression.removed',
          targetType: 'address-hash',
          targetId: hashes[0] as string,
          reason: input.reason,
          details: { removed, kept, contactId },
        },
      });
    }
    return { removed, kept, contactId };
  });
}
