import type { MessageStatus, SendMessageInput } from '@herald/contract';
import { type Db, Prisma } from '@herald/db';
import type { SigningKey } from '@herald/preferences';
import type { Queue } from 'bull';
import { DomainError } from '../core/domain-error.js';
import { uuid7 } from '../core/uuid7.js';
import { within } from '../core/within.js';
import { sendMessageJob } from '../delivery/delivery-queue.js';
import type { StoredTemplate } from '../templates/find-template.js';
import { sealSecretVariables } from './seal-secret-variables.js';

/** A send whose schema, template and data have been checked (checkTemplateAndData). */
export interface CheckedSend {
  input: SendMessageInput;
  template: StoredTemplate;
}

/** What became of one send: its message (created now, or replayed by its idempotency key), or its own error. */
export type StoreOutcome = { id: string; status: MessageStatus; created: boolean } | { error: DomainError };

export interface StoreDeps {
  db: Db;
  queue: Pick<Queue, 'addBulk'>;
  /** HERALD_SECRET's keys: a template's secret values are sealed under the first (sealed-data.ts). */
  keys: readonly SigningKey[];
  log?: (message: string) => void;
}

/** How long a caller waits for Redis to take the jobs before the reconciler is left to enqueue them. */
export const ENQUEUE_TIMEOUT_MS = 500;

/** Generous: 1,000 sends are a few statements, but the transaction waits on row locks of concurrent sends. */
const TRANSACTION_TIMEOUT_MS = 30_000;

/**
 * Stores checked sends as queued messages and enqueues their deliveries, in one transaction of a few
 * set-based statements whatever their number: the contacts of `to: { contactId }` are looked up,
 * those of `to: { email }` created when missing (promotional_defaults false: a contact a send creates
 * never asked for marketing), and every accepted message inserted with its first event; the jobs then
 * go to Redis in one addBulk, bounded (the reconciler enqueues what Redis did not take: the row is the
 * source of truth). An idempotency key names one message, within the call and across calls: a later
 * send with it replays the message, or is refused if it names another recipient or template.
 *
 * Used by POST /v1/messages/batch for its items, and by POST /v1/messages for the single sends that
 * arrive together (group commit, messages.controller.ts): one commit for many requests.
 * Answers one outcome per send, in order; a failure that is not a send's own (the database) throws.
 */
export async function storeMessages(deps: StoreDeps, sends: readonly CheckedSend[]): Promise<StoreOutcome[]> {
  const outcomes: StoreOutcome[] = new Array(sends.length);
  const created = await deps.db.$transaction(
    async (tx) => {
      // Contacts by id: one lookup; an unknown one fails its send alone.
      const ids = unique(sends.flatMap(({ input }) => ('contactId' in input.to ? [input.to.contactId] : [])));
      const known = new Set(
        ids.length === 0
          ? []
          : (
              await tx.$queryRaw<{ id: string }[]>(
                Prisma.sql`SELECT id::text FROM contacts WHERE id = ANY(${ids}::uuid[])`,
              )
            ).map((row) => row.id),
      );
      // Contacts by address: insert the missing ones, then read them all. Sorted, so concurrent
      // calls take the address locks in the same order. An existing contact is left as it is.
      const emails = unique(
        sends.flatMap(({ input }) => ('email' in input.to ? [input.to.email] : [])),
      ).sort();
      const byEmail = new Map<string, string>();
      if (emails.length > 0) {
        await tx.$executeRaw(Prisma.sql`
          INSERT INTO contacts (id, email, promotional_defaults, updated_at)
          SELECT id, email, false, now() FROM unnest(${emails.map(() => uuid7())}::uuid[], ${emails}::text[]) AS c(id, email)
          ON CONFLICT (email) DO NOTHING`);
        // A statement of its own: its snapshot sees an address a concurrent send inserted and committed
        // while this one's insert waited for it.
        const rows = await tx.$queryRaw<{ id: string; email: string }[]>(
          Prisma.sql`SELECT id::text, email FROM contacts WHERE email = ANY(${emails}::text[])`,
        );
        for (const row of rows) byEmail.set(row.email, row.id);
      }
      const accepted: (CheckedSend & { index: number; contactId: string; id?: string })[] = [];
      for (const [index, send] of sends.entries()) {
        const { to } = send.input;
        const contactId =
          'contactId' in to ? (known.has(to.contactId) ? to.contactId : undefined) : byEmail.get(to.email);
        if (contactId) accepted.push({ ...send, index, contactId });
        else
          outcomes[index] = {
            error:
              'contactId' in to
                ? new DomainError('unknown_contact', `No contact with id "${to.contactId}".`)
                : new DomainError(
                    'conflict',
                    'The contact for this address is being created concurrently; retry.',
                  ),
          };
      }

      // The first send with a key inserts; later sends with the same key replay it, as a second send would.
      // Inserted in key order, so concurrent calls sharing keys wait on each other's in the same order.
      const firstWithKey = new Set<string>();
      const inserts = accepted.filter(({ input }) => {
        if (input.idempotencyKey === undefined) return true;
        if (firstWithKey.has(input.idempotencyKey)) return false;
        firstWithKey.add(input.idempotencyKey);
        return true;
      });
      for (const send of inserts) send.id = uuid7();
      const stored = (send: (typeof inserts)[number]) =>
        JSON.stringify(sealSecretVariables(deps.keys, send.id ?? '', send.template.key, send.input.data));
      const inserted = new Set(
        inserts.length === 0
          ? []
          : (
              await tx.$queryRaw<{ id: string }[]>(Prisma.sql`
                WITH message AS (
                  INSERT INTO messages (id, contact_id, template_id, category_key, class, data, idempotency_key, updated_at)
                  SELECT id, contact_id, template_id, category_key, class, data, idempotency_key, now()
                    FROM unnest(
                      ${inserts.map((send) => send.id)}::uuid[],
                      ${inserts.map((send) => send.contactId)}::uuid[],
                      ${inserts.map((send) => send.template.id)}::uuid[],
                      ${inserts.map((send) => send.template.category.key)}::text[],
                      ${inserts.map((send) => send.template.category.class)}::"MessageClass"[],
                      ${inserts.map(stored)}::jsonb[],
                      ${inserts.map((send) => send.input.idempotencyKey ?? null)}::text[]
                    ) AS m(id, contact_id, template_id, category_key, class, data, idempotency_key)
                   ORDER BY idempotency_key
                  ON CONFLICT (idempotency_key) DO NOTHING
                  RETURNING id)
                INSERT INTO message_events (message_id, type) SELECT id, 'queued' FROM message
                RETURNING message_id::text AS id`)
            ).map((row) => row.id),
      );

      // What each idempotency key names now: a message inserted here, or one that existed before.
      const byKey = new Map<string, { id: string; status: string; contactId: string; templateKey: string }>();
      for (const send of inserts) {
        if (send.input.idempotencyKey !== undefined && send.id && inserted.has(send.id)) {
          byKey.set(send.input.idempotencyKey, {
            id: send.id,
            status: 'queued',
            contactId: send.contactId,
            templateKey: send.template.key,
          });
        }
      }
      const replayed = unique(
        accepted.flatMap(({ input }) =>
          input.idempotencyKey !== undefined && !byKey.has(input.idempotencyKey)
            ? [input.idempotencyKey]
            : [],
        ),
      );
      if (replayed.length > 0) {
        const rows = await tx.$queryRaw<
          { id: string; status: string; contact_id: string; template_key: string; idempotency_key: string }[]
        >(Prisma.sql`
          SELECT m.id::text, m.status::text, m.contact_id::text, t.key AS template_key, m.idempotency_key
            FROM messages m JOIN templates t ON t.id = m.template_id
           WHERE m.idempotency_key = ANY(${replayed}::text[])`);
        for (const row of rows) {
          byKey.set(row.idempotency_key, {
            id: row.id,
            status: row.status,
            contactId: row.contact_id,
            templateKey: row.template_key,
          });
        }
      }

      for (const send of accepted) {
        const key = send.input.idempotencyKey;
        if (key === undefined) {
          outcomes[send.index] = { id: send.id ?? '', status: 'queued', created: true };
          continue;
        }
        const existing = byKey.get(key);
        const createdNow = send.id !== undefined && existing?.id === send.id;
        if (!existing) {
          outcomes[send.index] = {
            error: new DomainError(
              'conflict',
              'A message with this idempotency key is being created; retry.',
            ),
          };
        } else if (existing.contactId !== send.contactId || existing.templateKey !== send.template.key) {
          outcomes[send.index] = {
            error: new DomainError(
              'idempotency_key_reused',
              'This idempotency key was already used for a different message (another recipient or template).',
            ),
          };
        } else {
          outcomes[send.index] = {
            id: existing.id,
            status: existing.status as MessageStatus,
            created: createdNow,
          };
        }
      }
      return inserts.flatMap((send) => (send.id && inserted.has(send.id) ? [send.id] : []));
    },
    { timeout: TRANSACTION_TIMEOUT_MS },
  );

  if (created.length > 0) {
    const jobs = created.map((id) => sendMessageJob(id));
    try {
      // While Redis is unreachable the client holds commands for minutes: the caller would time out
      // and send again. The jobs still go in if Redis comes back (each job id is its message id).
      await within(
        deps.queue.addBulk(jobs.map((job) => ({ name: job.name, data: job.data, opts: job.opts }))),
        ENQUEUE_TIMEOUT_MS,
        'Redis',
      );
    } catch (error) {
      deps.log?.(
        `${created.length} message(s) stored but not enqueued (${(error as Error).message}); the reconciler will enqueue them`,
      );
    }
  }
  return outcomes;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
