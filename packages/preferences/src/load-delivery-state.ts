import type { DeliveryDecisionInput, MessageClassValue } from './decide-delivery.js';
import { z } from 'zod';
import type { DbClient } from './db-client.js';
import { hashAddress } from './hash-address.js';
import { parseInput } from './parse-input.js';

export type DeliveryState = {
  contact: { id: string; email: string | null; name: string | null; erased: boolean };
  category: {
    key: string;
    name: string;
    description: string;
    class: MessageClassValue;
    required: boolean;
    defaultSubscribed: boolean;
  };
  decisionInput: DeliveryDecisionInput;
};

type StateRow = {
  id: string;
  email: string | null;
  name: string | null;
  erased: boolean;
  promotional_opt_out: boolean;
  category_key: string;
  category_name: string;
  description: string;
  class: MessageClassValue;
  required: boolean;
  default_subscribed: boolean;
  preference: boolean | null;
};

/**
 * Everything the worker needs to decide a send, read immediately before it: the contact,
 * the category and its effective subscription in one query, the address's suppressions in
 * a second. Null when the contact or the category does not exist.
 */
export async function loadDeliveryState(
  db: DbClient,
  options: { contactId: string; categoryKey: string },
): Promise<DeliveryState | null> {
  parseInput(z.object({ contactId: z.guid(), categoryKey: z.string().min(1) }), options, 'loadDeliveryState');
  const rows = await db.$queryRaw<StateRow[]>`
    SELECT c.id::text, c.email, c.name, c.erased_at IS NOT NULL AS erased, c.promotional_opt_out,
           k.key AS category_key, k.name AS category_name, k.description, k.class::text AS class,
           k.required, k.default_subscribed, p.subscribed AS preference
    FROM contacts c
    JOIN categories k ON k.key = ${options.categoryKey}
    LEFT JOIN preferences p ON p.contact_id = c.id AND p.category_key = k.key
    WHERE c.id = ${options.contactId}::uuid`;
  const row = rows[0];
  if (!row) return null;

  const reasons = row.email
    ? (
        await db.suppression.findMany({
          where: {
            addressHash: hashAddress(row.email),
            reason: { in: ['hard_bounce', 'complaint', 'erasure'] },
          },
          select: { reason: true },
        })
      ).map((suppression) => suppression.reason)
    : [];

  return {
    contact: { id: row.id, email: row.email, name: row.name, erased: row.erased },
    category: {
      key: row.category_key,
      name: row.category_name,
      description: row.description,
      class: row.class,
      required: row.required,
      defaultSubscribed: row.default_subscribed,
    },
    decisionInput: {
      messageClass: row.class,
      categoryRequired: row.required,
      categorySubscribed: row.preference ?? row.default_subscribed,
      allPromotionalOptOut: row.promotional_opt_out,
      complained: reasons.includes('complaint'),
      addressErased: reasons.includes('erasure'),
      hardBounced: reasons.includes('hard_bounce'),
      hasAddress: row.email !== null && !row.erased,
    },
  };
}
