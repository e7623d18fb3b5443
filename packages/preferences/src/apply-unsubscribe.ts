import type { Tx } from '@herald/db';
import { z } from 'zod';
import { ConsentSourceValueSchema } from './consent-source.js';
import type { DbClient } from './db-client.js';
import { parseInput } from './parse-input.js';
import { PreferencesError } from './preferences-error.js';
import { TokenScopeSchema } from './url-token.js';
import type { ConsentChange } from './update-preferences.js';
import { UserAgentSchema } from './user-agent-schema.js';

const ApplyUnsubscribeOptionsSchema = z.object({
  contactId: z.guid(),
  scope: TokenScopeSchema,
  source: ConsentSourceValueSchema,
  messageId: z.guid().optional(),
  campaignId: z.guid().optional(),
  userAgent: UserAgentSchema.optional(),
  ipHash: z.string().optional(),
  /** When the request arrived (conformance: time from request to effect). */
  requestedAt: z.date().optional(),
});

/** A time as the log's timestamp columns hold it: UTC, without a zone, to the millisecond. */
const utcTimestamp = (date: Date | undefined) =>
  date ? date.toISOString().slice(0, 23).replace('T', ' ') : null;

type ApplyUnsubscribeOptions = z.input<typeof ApplyUnsubscribeOptionsSchema>;
type ApplyUnsubscribeInput = z.infer<typeof ApplyUnsubscribeOptionsSchema>;

type OutcomeRow = {
  contact_found: boolean;
  category_found: boolean;
  changed_key: string | null;
  changed: boolean;
};

/**
 * The campaign of the message the unsubscribe came from is recorded even when the caller only knows
 * the message (one-click tokens carry the message id), so unsubscribes count against the campaign.
 *
 * The one entry point of one-click, the unsubscribe page and mailto. It is the hot path,
 * so each scope is a single statement: atomic on its own, one round trip. Unsubscribing a
 * required category, an erased contact or an already unsubscribed scope changes nothing.
 */
export async function applyUnsubscribe(
  db: DbClient,
  options: ApplyUnsubscribeOptions,
): Promise<{ changed: ConsentChange[] }> {
  const input = parseInput(ApplyUnsubscribeOptionsSchema, options, 'applyUnsubscribe');
  const rows =
    input.scope.kind === 'category'
      ? await unsubscribeCategory(db, input, input.scope.categoryKey)
      : await unsubscribeAllPromotional(db, input);
  const outcome = rows[0];
  if (!outcome?.contact_found)
    throw new PreferencesError('unknown-contact', `contact ${input.contactId} does not exist`);
  if (!outcome.category_found) {
    const key = input.scope.kind === 'category' ? input.scope.categoryKey : '';
    throw new PreferencesError('unknown-category', `unknown category: ${key}`, { categories: [key] });
  }
  return { changed: outcome.changed ? [{ categoryKey: outcome.changed_key, subscribed: false }] : [] };
}

/*
 * The contact row is locked first, like every other consent writer. The statement's
 * snapshot may predate the lock, so whether anything changed is decided by the upsert's
 * WHERE, which PostgreSQL evaluates against the newest row version: a concurrent
 * identical request finds the row already unsubscribed and logs nothing. `xmax = 0`
 * marks a freshly inserted row; inserting "unsubscribed" only changes the effective state
 * when the category's default was "subscribed" and applied to the contact (a promotional default
 * does not for a contact created by a send: effective-subscription.ts). Raw SQL takes the database's enum labels,
 * which are the domain's spelling of consent sources ("one-click").
 */
function unsubscribeCategory(db: DbClient | Tx, input: ApplyUnsubscribeInput, categoryKey: string) {
  // Named (prepared once per connection, decision 027): every one-click runs it, and each of its
  // look-ups is by key.
  return db.$queryRaw<OutcomeRow[]>`/* herald:named */
    WITH contact AS (
      SELECT id, erased_at, promotional_defaults FROM contacts WHERE id = ${input.contactId}::uuid FOR UPDATE
    ), category AS (
      SELECT key, class, required, default_subscribed FROM categories WHERE key = ${categoryKey}
    ), written AS (
      INSERT INTO preferences (contact_id, category_key, subscribed, updated_at)
      SELECT contact.id, category.key, false, now() AT TIME ZONE 'UTC'
      FROM contact, category
      WHERE contact.erased_at IS NULL AND NOT category.required
      ON CONFLICT (contact_id, category_key) DO UPDATE
        SET subscribed = false, updated_at = EXCLUDED.updated_at
        WHERE preferences.subscribed
      RETURNING category_key, xmax = 0 AS inserted
    ), logged AS (
      INSERT INTO consent_log (contact_id, category_key, action, source, occurred_at, message_id, campaign_id, user_agent, ip_hash, requested_at)
      SELECT ${input.contactId}::uuid, written.category_key, 'unsubscribe', ${input.source}::"ConsentSource",
             now() AT TIME ZONE 'UTC', ${input.messageId ?? null}::uuid,
             COALESCE(${input.campaignId ?? null}::uuid, (SELECT m.campaign_id FROM messages m WHERE m.id = ${input.messageId ?? null}::uuid)),
             ${input.userAgent ?? null}, ${input.ipHash ?? null}, ${utcTimestamp(input.requestedAt)}::timestamp
      FROM written JOIN category ON category.key = written.category_key CROSS JOIN contact
      WHERE NOT written.inserted
         OR (category.default_subscribed AND (category.class <> 'promotional' OR contact.promotional_defaults))
      RETURNING category_key
    )
    SELECT EXISTS (SELECT 1 FROM contact) AS contact_found,
           EXISTS (SELECT 1 FROM category) AS category_found,
           (SELECT category_key FROM logged) AS changed_key,
           EXISTS (SELECT 1 FROM logged) AS changed`;
}

/** The UPDATE's WHERE is re-checked on the newest row version after any lock wait. */
function unsubscribeAllPromotional(db: DbClient | Tx, input: ApplyUnsubscribeInput) {
  // Named, as unsubscribeCategory is.
  return db.$queryRaw<OutcomeRow[]>`/* herald:named */
    WITH changed AS (
      UPDATE contacts SET promotional_opt_out = true, updated_at = now() AT TIME ZONE 'UTC'
      WHERE id = ${input.contactId}::uuid AND erased_at IS NULL AND NOT promotional_opt_out
      RETURNING id
    ), logged AS (
      INSERT INTO consent_log (contact_id, category_key, action, source, occurred_at, message_id, campaign_id, user_agent, ip_hash, requested_at)
      SELECT changed.id, NULL, 'unsubscribe', ${input.source}::"ConsentSource",
             now() AT TIME ZONE 'UTC', ${input.messageId ?? null}::uuid,
             COALESCE(${input.campaignId ?? null}::uuid, (SELECT m.campaign_id FROM messages m WHERE m.id = ${input.messageId ?? null}::uuid)),
             ${input.userAgent ?? null}, ${input.ipHash ?? null}, ${utcTimestamp(input.requestedAt)}::timestamp
      FROM changed
      RETURNING id
    )
    SELECT EXISTS (SELECT 1 FROM contacts WHERE id = ${input.contactId}::uuid) AS contact_found,
           true AS category_found,
           NULL::text AS changed_key,
           EXISTS (SELECT 1 FROM logged) AS changed`;
}
