import type { Db } from '@herald/db';
import { addressHashes, effectiveSubscription } from '@herald/preferences';
import { csvLine } from '../core/csv.js';

const PAGE = 1000;

/** The contacts export's category columns: every category, in a stable order. */
export async function exportCategories(db: Db) {
  return db.category.findMany({
    orderBy: { key: 'asc' },
    select: { key: true, class: true, required: true, defaultSubscribed: true },
  });
}

type Category = Awaited<ReturnType<typeof exportCategories>>[number];

/**
 * Every contact that is not erased, in id order (ids grow with time), a page at a time: identity,
 * the all-promotional switch, whether each category reaches the contact now (the preference pages'
 * own rule, effectiveSubscription), and the address's suppressions (by its hash, or linked to the
 * contact). Three queries per page of 1,000, whatever the total.
 */
export async function* contactCsvLines(db: Db, categories: Category[]): AsyncGenerator<string> {
  let after: string | undefined;
  for (;;) {
    const contacts = await db.contact.findMany({
      where: { erasedAt: null, ...(after && { id: { gt: after } }) },
      orderBy: { id: 'asc' },
      take: PAGE,
      select: {
        id: true,
        email: true,
        name: true,
        externalId: true,
        locale: true,
        timezone: true,
        createdAt: true,
        promotionalOptOut: true,
        promotionalDefaults: true,
        preferences: { select: { categoryKey: true, subscribed: true } },
      },
    });
    if (contacts.length === 0) return;
    const hashOf = new Map<string, string[]>();
    for (const contact of contacts) if (contact.email) hashOf.set(contact.id, addressHashes(contact.email));
    const suppressions = await db.suppression.findMany({
      where: {
        OR: [
          { addressHash: { in: [...hashOf.values()].flat() } },
          { contactId: { in: contacts.map((contact) => contact.id) } },
        ],
      },
      select: { addressHash: true, contactId: true, reason: true },
    });
    for (const contact of contacts) {
      const hashes = hashOf.get(contact.id) ?? [];
      const reasons = [
        ...new Set(
          suppressions
            .filter((row) => row.contactId === contact.id || hashes.includes(row.addressHash))
            .map((row) => row.reason.replaceAll('_', '-')),
        ),
      ].sort();
      const explicit = new Map(contact.preferences.map((row) => [row.categoryKey, row.subscribed]));
      yield csvLine([
        contact.id,
        contact.email,
        contact.name,
        contact.externalId,
        contact.locale,
        contact.timezone,
        contact.createdAt,
        contact.promotionalOptOut ? 'no' : 'yes',
        ...categories.map((category) =>
          effectiveSubscription(category, explicit.get(category.key), contact) ? 'yes' : 'no',
        ),
        reasons.join(';'),
      ]);
    }
    after = (contacts.at(-1) as { id: string }).id;
    if (contacts.length < PAGE) return;
  }
}
