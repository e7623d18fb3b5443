import type { Tx } from '@herald/db';
import { z } from 'zod';
import { ConsentSourceValueSchema, toPrismaConsentSource } from './consent-source.js';
import type { DbClient } from './db-client.js';
import { effectiveSubscription } from './effective-subscription.js';
import { ConsentLinkSchema, isLinkRevoked, linkReachesOptIn } from './link-reach.js';
import { lockContact } from './lock-contact.js';
import { parseInput } from './parse-input.js';
import { PreferencesError } from './preferences-error.js';
import { UserAgentSchema } from './user-agent-schema.js';

const UpdatePreferencesOptionsSchema = z.object({
  contactId: z.guid(),
  changes: z.array(z.object({ categoryKey: z.string().min(1), subscribed: z.boolean() })),
  /** true = receives promotional mail; false = the "all promotional" opt-out. */
  allPromotional: z.boolean().optional(),
  /** true = "don't track my clicks"; false = takes that back (docs/decisions/022-click-tracking.md). */
  clickTrackingOff: z.boolean().optional(),
  source: ConsentSourceValueSchema,
  actor: z.string().optional(),
  reason: z.string().optional(),
  messageId: z.guid().optional(),
  campaignId: z.guid().optional(),
  userAgent: UserAgentSchema.optional(),
  ipHash: z.string().optional(),
  /** When the request arrived (conformance: time from request to effect). */
  requestedAt: z.date().optional(),
  /**
   * The link the person came through, when it is their only authority (the preference center, the
   * unsubscribe page): opt-ins it does not reach are not applied (link-reach.ts).
   */
  link: ConsentLinkSchema.optional(),
});

/** One change of a contact's consent state; categoryKey null means "all promotional". */
export type ConsentChange = { categoryKey: string | null; subscribed: boolean };

type UpdatePreferencesOptions = z.input<typeof UpdatePreferencesOptionsSchema>;
type UpdatePreferencesInput = z.infer<typeof UpdatePreferencesOptionsSchema>;

/**
 * `changed`: applied and logged. `needsConfirmation`: opt-ins the link does not reach (too old, or
 * another category): nothing changed, the caller asks the contact by mail. `refused`: opt-ins through
 * a revoked link: nothing changed, and no mail either.
 */
type UpdatePreferencesResult = {
  changed: ConsentChange[];
  needsConfirmation: ConsentChange[];
  refused: ConsentChange[];
  /** The "don't track my clicks" choice as it now is, when this call changed it; null otherwise. */
  clickTrackingOff: boolean | null;
};

/** A change that subscribes to promotional mail: a promotional category, or clearing the "all" opt-out. */
type WantedChange = ConsentChange & { optIn: boolean };

/**
 * Applies a set of choices in one transaction: the preference rows, the "all promotional"
 * flag and one consent-log row per effective change, so state and its proof never diverge.
 * Choices equal to the current state write nothing, which makes repeats idempotent.
 */
export async function updatePreferences(
  db: DbClient,
  options: UpdatePreferencesOptions,
): Promise<UpdatePreferencesResult> {
  const input = parseInput(UpdatePreferencesOptionsSchema, options, 'updatePreferences');
  const duplicate = input.changes.find(
    (change, index) => input.changes.findIndex((other) => other.categoryKey === change.categoryKey) !== index,
  );
  if (duplicate) {
    throw new PreferencesError('invalid-input', `category "${duplicate.categoryKey}" appears more than once`);
  }

  return db.$transaction(async (tx) => {
    const contact = await lockContact(tx, { contactId: input.contactId });
    const wanted = await findCategoryChanges(tx, input, contact);
    if (input.allPromotional !== undefined && input.allPromotional === contact.promotionalOptOut) {
      wanted.push({ categoryKey: null, subscribed: input.allPromotional, optIn: input.allPromotional });
    }
    const result: UpdatePreferencesResult = {
      changed: [],
      needsConfirmation: [],
      refused: [],
      clickTrackingOff: null,
    };
    // Where every consent-log row this call writes came from: the same for each of them.
    const provenance = {
      source: toPrismaConsentSource(input.source),
      messageId: input.messageId ?? null,
      campaignId: input.campaignId ?? null,
      actor: input.actor ?? null,
      reason: input.reason ?? null,
      userAgent: input.userAgent ?? null,
      ipHash: input.ipHash ?? null,
      requestedAt: input.requestedAt ?? null,
    };
    const { link } = input;
    const revoked = link !== undefined && isLinkRevoked(link, contact.tokenEpoch);
    for (const { optIn, ...change } of wanted) {
      // Unsubscribing always applies at once, through any link, revoked ones included.
      if (!optIn || !link) result.changed.push(change);
      else if (revoked) result.refused.push(change);
      else if (linkReachesOptIn(link, change)) result.changed.push(change);
      else result.needsConfirmation.push(change);
    }
    // Tracking choices apply through any link, revoked ones included: they only ever take less.
    if (input.clickTrackingOff !== undefined && input.clickTrackingOff !== contact.clickTrackingOff) {
      await tx.contact.update({
        where: { id: contact.id },
        data: { clickTrackingOff: input.clickTrackingOff },
      });
      await tx.consentLogEntry.create({
        data: {
          contactId: contact.id,
          categoryKey: null,
          action: input.clickTrackingOff ? 'tracking_off' : 'tracking_on',
          ...provenance,
        },
      });
      result.clickTrackingOff = input.clickTrackingOff;
    }
    const { changed } = result;
    if (changed.length === 0) return result;

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
        ...provenance,
      })),
    });
    return result;
  });
}

/** Validates every requested category, then keeps the ones whose effective state differs. */
async function findCategoryChanges(
  tx: Tx,
  input: UpdatePreferencesInput,
  contact: { promotionalDefaults: boolean },
): Promise<WantedChange[]> {
  if (input.changes.length === 0) return [];
  const keys = input.changes.map((change) => change.categoryKey);
  const categories = await tx.category.findMany({
    where: { key: { in: keys } },
    select: { key: true, class: true, required: true, defaultSubscribed: true },
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
  return input.changes.flatMap((change) => {
    const category = byKey.get(change.categoryKey);
    if (!category) return [];
    const current = effectiveSubscription(category, explicit.get(change.categoryKey), contact);
    if (current === change.subscribed) return [];
    const optIn = change.subscribed && category.class === 'promotional';
    return [{ categoryKey: change.categoryKey, subscribed: change.subscribed, optIn }];
  });
}
