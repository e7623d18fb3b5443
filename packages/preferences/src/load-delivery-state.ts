import type { DeliveryDecisionInput, MessageClassValue } from './decide-delivery.js';
import { z } from 'zod';
import type { DbClient } from './db-client.js';
import { normalizeAddress } from './hash-address.js';
import { parseInput } from './parse-input.js';
import { readAddressSuppressions } from './read-address-suppressions.js';

export type DeliveryState = {
  /** tokenEpoch: the epoch the message's preference links are signed under (url-token.ts). */
  /** locale: the contact's BCP 47 tag, which picks the template's translation. */
  /** clickTrackingOff: the contact chose "don't track my clicks" (docs/decisions/022-click-tracking.md). */
  contact: {
    id: string;
    email: string | null;
    name: string | null;
    locale: string;
    erased: boolean;
    tokenEpoch: number;
    clickTrackingOff: boolean;
  };
  category: {
    key: string;
    name: string;
    description: string;
    class: MessageClassValue;
    required: boolean;
    defaultSubscribed: boolean;
    /** Whether this category's links are wrapped in signed redirects. */
    trackClicks: boolean;
  };
  decisionInput: DeliveryDecisionInput;
};

type StateRow = {
  id: string;
  email: string | null;
  name: string | null;
  locale: string;
  erased: boolean;
  promotional_opt_out: boolean;
  promotional_defaults: boolean;
  token_epoch: number;
  click_tracking_off: boolean;
  test_send: boolean;
  category_key: string;
  category_name: string;
  description: string;
  class: MessageClassValue;
  required: boolean;
  default_subscribed: boolean;
  track_clicks: boolean;
  preference: boolean | null;
};

/** messageId, when given, tells a campaign's test send (its queued event names the campaign) from other mail. */
const StateRequestSchema = z.object({
  contactId: z.guid(),
  categoryKey: z.string().min(1),
  messageId: z.guid().optional(),
});
const StateRequestsSchema = z.array(StateRequestSchema).max(10_000);
type DeliveryStateRequest = z.infer<typeof StateRequestSchema>;

/**
 * Everything the worker needs to decide a send, read immediately before it: the contact,
 * the category and its effective subscription in one query, the address's suppressions in
 * a second. Null when the contact or the category does not exist.
 */
export async function loadDeliveryState(
  db: DbClient,
  options: DeliveryStateRequest,
): Promise<DeliveryState | null> {
  const request = parseInput(StateRequestSchema, options, 'loadDeliveryState');
  const [state] = await loadStates(db, [request]);
  return state ?? null;
}

/**
 * The same for many messages at once, in the same two queries whatever their number (the
 * worker's batches). The answer is aligned with the requests; null where one does not exist.
 */
export async function loadDeliveryStates(
  db: DbClient,
  requests: DeliveryStateRequest[],
): Promise<(DeliveryState | null)[]> {
  return loadStates(db, parseInput(StateRequestsSchema, requests, 'loadDeliveryStates'));
}

async function loadStates(db: DbClient, requests: DeliveryStateRequest[]): Promise<(DeliveryState | null)[]> {
  if (requests.length === 0) return [];
  const rows = await db.$queryRaw<(StateRow & { ordinal: number })[]>`/* herald:named */
    SELECT r.ordinal::int AS ordinal, c.id::text, c.email, c.name, c.locale, c.erased_at IS NOT NULL AS erased,
           c.promotional_opt_out, c.promotional_defaults, c.token_epoch, c.click_tracking_off,
           t.message_id IS NOT NULL AS test_send,
           k.key AS category_key, k.name AS category_name, k.description,
           k.class::text AS class, k.required, k.default_subscribed, k.track_clicks, p.subscribed AS preference
    FROM unnest(${requests.map((r) => r.contactId)}::uuid[], ${requests.map((r) => r.categoryKey)}::text[],
                ${requests.map((r) => r.messageId ?? null)}::uuid[])
         WITH ORDINALITY AS r(contact_id, category_key, message_id, ordinal)
    JOIN contacts c ON c.id = r.contact_id
    JOIN categories k ON k.key = r.category_key
    LEFT JOIN preferences p ON p.contact_id = c.id AND p.category_key = k.key
    -- Lateral, so each message's own events are read through their index: as an EXISTS the planner
    -- may hash the whole message_events table instead, once per batch (seen in a profile).
    LEFT JOIN LATERAL (SELECT e.message_id FROM message_events e
                        WHERE e.message_id = r.message_id AND e.type = 'queued'
                          AND e.detail->>'testOfCampaign' IS NOT NULL
                        LIMIT 1) t ON true`;

  const suppressions = await readAddressSuppressions(
    db,
    rows.flatMap((row) => (row.email ? [row.email] : [])),
  );

  const states: (DeliveryState | null)[] = requests.map(() => null);
  for (const row of rows) {
    const reasons = row.email ? (suppressions.get(normalizeAddress(row.email)) ?? []) : [];
    states[row.ordinal - 1] = toState(row, reasons);
  }
  return states;
}

function toState(row: StateRow, reasons: string[]): DeliveryState {
  return {
    contact: {
      id: row.id,
      email: row.email,
      name: row.name,
      locale: row.locale,
      erased: row.erased,
      tokenEpoch: row.token_epoch,
      clickTrackingOff: row.click_tracking_off,
    },
    category: {
      key: row.category_key,
      name: row.category_name,
      description: row.description,
      class: row.class,
      required: row.required,
      defaultSubscribed: row.default_subscribed,
      trackClicks: row.track_clicks,
    },
    decisionInput: {
      messageClass: row.class,
      categoryRequired: row.required,
      categorySubscribed: row.preference ?? row.default_subscribed,
      categoryExplicit: row.preference !== null,
      promotionalDefaults: row.promotional_defaults,
      testSend: row.test_send,
      allPromotionalOptOut: row.promotional_opt_out,
      complained: reasons.includes('complaint'),
      addressErased: reasons.includes('erasure'),
      hardBounced: reasons.includes('hard_bounce'),
      softBounceLimited: reasons.includes('soft_bounce_limit'),
      manuallySuppressed: reasons.includes('manual'),
      hasAddress: row.email !== null && !row.erased,
    },
  };
}
