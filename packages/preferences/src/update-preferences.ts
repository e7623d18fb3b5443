import type { Tx } from '@herald/db';
import { z } from 'zod';
import { ConsentSourceValueSchema, toPrismaConsentSource } from './consent-source.js';
import type { DbClient } from './db-client.js';
import { lockContact } from './lock-contact.js';
import { parseInput } from './parse-input.js';
import { PreferencesError } from './preferences-error.js';
import { UserAgentSchema } from './user-agent-schema.js';

const UpdatePreferencesOptionsSchema = z.object({
  contactId: z.guid(),
  changes: z.array(z.object({ categoryKey: z.string().min(1), subscribed: z.boolean() })),
  /** true = receives promotional mail; false = the "all promotional" opt-out. */
  allPromotional: z.boolean().optional(),
  source: ConsentSourceValueSchema,
  actor: z.string().optional(),
  reason: z.string().optional(),
  messageId: z.guid().optional(),
  campaignId: z.guid().optional(),
  userAgent: UserAgentSchema.optional(),
  ipHash: z.string().optional(),
});

/** One change of a contact's consent state; categoryKey null means "all promotional". */
export type ConsentChange = { categoryKey: string | null; subscribed: boolean };

type UpdatePreferencesOptions = z.input<typeof UpdatePreferencesOptionsSchema>;
type UpdatePreferencesInput = z.infer<typeof UpdatePreferencesOptionsSchema>;

/**
 * Applies a set of choices in one transaction: the preference rows, the "all promotional"
 * flag and one consent-log row per effective change, so state and its proof never diverge.
 * Choices equal to the current state write nothing, which makes repeats idempotent.
 */
export async function updatePreferences(
  db: DbClient,
  options: UpdatePreferencesOptions,
): Promise<{ changed: ConsentChange[] }> {
  const input = parseInput(UpdatePreferencesOptionsSchema, options, 'updatePreferences');
  const duplicate = input.changes.find(
    (change, index) => input.changes.findIndex((other) => other.categoryKey === change.categoryKey) !== index,
  );
  if (duplicate) {
    throw new PreferencesError('invalid-input', `category "${duplicate.categoryKey}" appears more than once`);
  }

  return db.$transaction(async (tx) => {
    const contact = await lockContact(tx, { contactId: input.contactId });
    const changed = await findCategoryChanges(tx, input);
    if (input.allPromotional !== undefined && input.allPromotional === contact.promotionalOptOut) {
      changed.push({ categoryKey: null, subscribed: input.allPromotional });
    }
    if (changed.length === 0) return { changed };

    for (const change of changed) {
      if (change.categoryKey === null) {
        await tx.contact.update({
          where: { id: contact.id },
          data: { promotionalOptOut: !change.subscribed },
        });
      } else {
        await tx.preference.upsert({
          where: { contactId_categoryKey: { contactId: contact.id, categoryKey: change.categoryKey } },
          create: { contactId: contact.id, categoryKey: change.categoryKey, subscribed: change.subscribed },
          update: { subscribed: change.subscribed },
        });
      }
    }
    await tx.consentLogEntry.createMany({
      data: changed.map((change) => ({
        contactId: contact.id,
        categoryKey: change.categoryKey,
        action: change.subscribed ? ('subscribe' as const) : ('unsubscribe' as const),
        source: toPrismaConsentSource(input.source),
        messageId: input.messageId ?? null,
        campaignId: input.campaignId ?? null,
        actor: input.actor ?? null,
        reason: input.reason ?? null,
        userAgent: input.userAgent ?? null,
        ipHash: input.ipHash ?? null,
      })),
    });
    return { changed };
  });
}

/** Validates every requested category, then keeps the ones whose effective state differs. */
async function findCategoryChanges(tx: Tx, input: UpdatePreferencesInput): Promise<ConsentChange[]> {
  if (input.changes.length === 0) return [];
  const keys = input.changes.map((change) => change.categoryKey);
  const categories = await tx.category.findMany({
    where: { key: { in: keys } },
    select: { key: true, required: true, defaultSubscribed: true },
  });
  const byKey = new Map(categories.map((category) => [category.key, category]));

  const unknown = keys.filter((key) => !byKey.has(key));
  if (unknown.length > 0) {
    throw new PreferencesError('unknown-category', `unknown category: ${unknown.join(', ')}`, {
      categories: unknown,
    });
  }
  const lockedOut = input.changes.filter(
    (change) => !change.subscribed && byKey.get(change.categoryKey)?.required,
  );
  if (lockedOut.length > 0) {
    const names = lockedOut.map((change) => change.categoryKey);
    throw new PreferencesError(
      'required-category',
      `required categories cannot be unsubscribed: ${names.join(', ')}`,
      {
        categories: names,
      },
    );
  }

  const preferences = await tx.preference.findMany({
    where: { contactId: input.contactId, categoryKey: { in: keys } },
    select: { categoryKey: true, subscribed: true },
  });
  const explicit = new Map(preferences.map((preference) => [preference.categoryKey, preference.subscribed]));
  return input.changes
    .filter((change) => {
      const category = byKey.get(change.categoryKey);
      const current = category?.required || (explicit.get(change.categoryKey) ?? category?.defaultSubscribed);
      return current !== change.subscribed;
    })
    .map((change) => ({ categoryKey: change.categoryKey, subscribed: change.subscribed }));
}
