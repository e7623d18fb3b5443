import { Prisma, type Tx } from '@herald/db';
import { uuid7 } from '../core/uuid7.js';

/** The seed template (packages/templates) that tells the console's owners. */
export const ENDPOINT_DISABLED_TEMPLATE = 'webhook-endpoint-disabled';

export interface DisabledEndpoint {
  id: string;
  url: string;
  reason: string;
  disabledAt: Date;
}

/** The messages queued for the owners, or why there are none. */
export interface EndpointDisabledMail {
  messageIds: string[];
  /** Set when nothing was queued: no active owner, or the template is missing. */
  skipped?: string;
}

/**
 * Queues the required `webhook-endpoint-disabled` mail to every active console owner (role owner,
 * not deactivated), in the caller's transaction: the one that disables the endpoint. The message
 * rows are the outbox: they commit with the disable or not at all, and a queued row whose job never
 * reached Redis (the worker died right after the commit) is enqueued by the reconciler. The caller
 * enqueues the answered ids after the commit, so the mail normally leaves at once.
 *
 * An owner's address becomes a contact when it is not one yet (in no promotional audience, as a
 * transactional send makes one); a suppressed or erased address is refused at send time as any other.
 * Each message's idempotency key names the endpoint, the disable and the owner, so the same disable
 * never mails an owner twice.
 */
export async function queueEndpointDisabledMail(
  tx: Tx,
  endpoint: DisabledEndpoint,
  consoleWebhooksUrl: string | null,
): Promise<EndpointDisabledMail> {
  const [template] = await tx.$queryRaw<{ id: string; category_key: string; class: string }[]>`
    SELECT t.id::text, t.category_key, c.class::text
      FROM templates t JOIN categories c ON c.key = t.category_key
     WHERE t.key = ${ENDPOINT_DISABLED_TEMPLATE} AND t.locale IS NULL
     ORDER BY t.version DESC LIMIT 1`;
  if (!template) return { messageIds: [], skipped: `no template "${ENDPOINT_DISABLED_TEMPLATE}"` };
  const owners = await tx.$queryRaw<{ id: string; email: string }[]>`
    SELECT id::text, email FROM admin_users
     WHERE role = 'owner' AND deactivated_at IS NULL
     ORDER BY email`;
  if (owners.length === 0) return { messageIds: [], skipped: 'no active console owner' };

  const emails = owners.map((owner) => owner.email);
  // Sorted (ORDER BY email above), so concurrent inserts take the address locks in the same order.
  await tx.$executeRaw(Prisma.sql`
    INSERT INTO contacts (id, email, promotional_defaults, updated_at)
    SELECT id, email, false, now()
      FROM unnest(${emails.map(() => uuid7())}::uuid[], ${emails}::text[]) AS c(id, email)
    ON CONFLICT (email) DO NOTHING`);
  const contacts = await tx.$queryRaw<{ id: string; email: string }[]>(
    Prisma.sql`SELECT id::text, email FROM contacts WHERE email = ANY(${emails}::text[])`,
  );
  const contactOf = new Map(contacts.map((contact) => [contact.email, contact.id]));

  const data = JSON.stringify({
    endpointUrl: displayUrl(endpoint.url),
    reason: endpoint.reason.slice(0, 1000),
    disabledAt: `${endpoint.disabledAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    ...(consoleWebhooksUrl && {
      consoleUrl: `${consoleWebhooksUrl}?endpoint=${encodeURIComponent(endpoint.id)}`,
    }),
  });
  const sends = owners.flatMap((owner) => {
    const contactId = contactOf.get(owner.email);
    return contactId
      ? [
          {
            id: uuid7(),
            contactId,
            key: `${ENDPOINT_DISABLED_TEMPLATE}:${endpoint.id}:${endpoint.disabledAt.getTime()}:${owner.id}`,
          },
        ]
      : [];
  });
  const inserted = await tx.$queryRaw<{ id: string }[]>(Prisma.sql`
    WITH message AS (
      INSERT INTO messages (id, contact_id, template_id, category_key, class, data, idempotency_key, updated_at)
      SELECT m.id, m.contact_id, ${template.id}::uuid, ${template.category_key},
             ${template.class}::"MessageClass", ${data}::jsonb, m.idempotency_key, now()
        FROM unnest(
          ${sends.map((send) => send.id)}::uuid[],
          ${sends.map((send) => send.contactId)}::uuid[],
          ${sends.map((send) => send.key)}::text[]
        ) AS m(id, contact_id, idempotency_key)
      ON CONFLICT (idempotency_key) DO NOTHING
      RETURNING id)
    INSERT INTO message_events (message_id, type) SELECT id, 'queued' FROM message
    RETURNING message_id::text AS id`);
  return { messageIds: inserted.map((row) => row.id) };
}

/**
 * The endpoint as the mail shows it: host and path, without the scheme (so it reads as text, not a
 * link to open) nor the query string and credentials, which may hold a token.
 */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`.slice(0, 2000);
  } catch {
    return url.slice(0, 2000);
  }
}
