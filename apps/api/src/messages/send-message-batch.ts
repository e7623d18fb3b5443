import {
  type MessageStatus,
  type SendMessageBatchResult,
  type SendMessageInput,
  SendMessageSchema,
} from '@herald/contract';
import { Prisma } from '@herald/db';
import { DomainError } from '../core/domain-error.js';
import { errorResponse } from '../core/http-exception.filter.js';
import { parseInput } from '../core/parse-input.js';
import { uuid7 } from '../core/uuid7.js';
import { within } from '../core/within.js';
import { sendMessageJob } from '../delivery/delivery-queue.js';
import type { StoredTemplate } from '../templates/find-template.js';
import { sealSecretVariables } from './seal-secret-variables.js';
import {
  checkSameMessage,
  checkTemplateAndData,
  ENQUEUE_TIMEOUT_MS,
  type SendMessageDeps,
} from './send-message.js';

/** An item that passed its own checks, with what the set-based statements fill in. */
interface Item {
  index: number;
  input: SendMessageInput;
  template: StoredTemplate;
  contactId?: string;
  /** Set on the item that inserts its message (the first of the batch with its idempotency key). */
  id?: string;
}

/** Generous: 1,000 items are a few statements, but the transaction waits on row locks of concurrent sends. */
const TRANSACTION_TIMEOUT_MS = 30_000;

/**
 * POST /v1/messages/batch: each item is what POST /v1/messages would accept, and is answered with
 * what it would answer (`{ id, status }` or its 4xx error), in order. Every item is checked first
 * (schema, template, data); then, in one transaction and a few set-based statements, the contacts
 * of `to: { contactId }` are looked up, those of `to: { email }` created when missing (with
 * promotional_defaults false, as a single send creates them), and every accepted message inserted
 * with its first event; the jobs then go to Redis in one addBulk, bounded as a single send's
 * enqueue is (the reconciler enqueues what Redis did not take). An idempotency key names one message
 * within the batch and across requests, as for single sends.
 */
export async function sendMessageBatch(
  deps: SendMessageDeps,
  items: readonly unknown[],
): Promise<SendMessageBatchResult[]> {
  const results: SendMessageBatchResult[] = new Array(items.length);
  let accepted: Item[] = [];
  for (const [index, body] of items.entries()) {
    try {
      const input = parseInput(SendMessageSchema, body);
      accepted.push({ index, input, template: await checkTemplateAndData(deps, input) });
    } catch (error) {
      results[index] = itemError(error);
    }
  }
  if (accepted.length === 0) return results;

  const created = await deps.db.$transaction(
    async (tx) => {
      // Contacts by id: one lookup; an unknown one fails its item alone.
      const ids = unique(
        accepted.flatMap(({ input }) => ('contactId' in input.to ? [input.to.contactId] : [])),
      );
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
      // batches take the address locks in the same order. An existing contact is left as it is.
      const emails = unique(
        accepted.flatMap(({ input }) => ('email' in input.to ? [input.to.email] : [])),
      ).sort();
      const byEmail = new Map<string, string>();
      if (emails.length > 0) {
        await tx.$executeRaw(Prisma.sql`
          INSERT INTO contacts (id, email, promotional_defaults, updated_at)
          SELECT id, email, false, now() FROM unnest(${emails.map(() => uuid7())}::uuid[], ${emails}::text[]) AS c(id, email)
          ON CONFLICT (email) DO NOTHING`);
        const rows = await tx.$queryRaw<{ id: string; email: string }[]>(
          Prisma.sql`SELECT id::text, email FROM contacts WHERE email = ANY(${emails}::text[])`,
        );
        for (const row of rows) byEmail.set(row.email, row.id);
      }
      accepted = accepted.filter((item) => {
        const { to } = item.input;
        item.contactId =
          'contactId' in to ? (known.has(to.contactId) ? to.contactId : undefined) : byEmail.get(to.email);
        if (item.contactId) return true;
        results[item.index] = itemError(
          'contactId' in to
            ? new DomainError('unknown_contact', `No contact with id "${to.contactId}".`)
            : new DomainError(
                'conflict',
                'The contact for this address is being created concurrently; retry.',
              ),
        );
        return false;
      });

      // The first item with a key inserts; later items with the same key replay it, as a second send would.
      // Inserted in key order, so concurrent batches sharing keys wait on each other's in the same order.
      const firstWithKey = new Set<string>();
      const inserts = accepted.filter(({ input }) => {
        if (input.idempotencyKey === undefined) return true;
        if (firstWithKey.has(input.idempotencyKey)) return false;
        firstWithKey.add(input.idempotencyKey);
        return true;
      });
      for (const item of inserts) item.id = uuid7();
      const inserted = new Set(
        inserts.length === 0
          ? []
          : (
              await tx.$queryRaw<{ id: string }[]>(Prisma.sql`
                WITH message AS (
                  INSERT INTO messages (id, contact_id, template_id, category_key, class, data, idempotency_key, updated_at)
                  SELECT id, contact_id, template_id, category_key, class, data, idempotency_key, now()
                    FROM unnest(
                      ${inserts.map((item) => item.id)}::uuid[],
                      ${inserts.map((item) => item.contactId)}::uuid[],
                      ${inserts.map((item) => item.template.id)}::uuid[],
                      ${inserts.map((item) => item.template.category.key)}::text[],
                      ${inserts.map((item) => item.template.category.class)}::"MessageClass"[],
                      ${inserts.map((item) => stored(deps, item))}::jsonb[],
                      ${inserts.map((item) => item.input.idempotencyKey ?? null)}::text[]
                    ) AS m(id, contact_id, template_id, category_key, class, data, idempotency_key)
                   ORDER BY idempotency_key
                  ON CONFLICT (idempotency_key) DO NOTHING
                  RETURNING id)
                INSERT INTO message_events (message_id, type) SELECT id, 'queued' FROM message
                RETURNING message_id::text AS id`)
            ).map((row) => row.id),
      );

      // What each idempotency key names now: a message this batch inserted, or one that existed before.
      const byKey = new Map<string, { id: string; status: string; contactId: string; templateKey: string }>();
      for (const item of inserts) {
        if (item.input.idempotencyKey !== undefined && item.id && inserted.has(item.id)) {
          byKey.set(item.input.idempotencyKey, {
            id: item.id,
            status: 'queued',
            contactId: item.contactId ?? '',
            templateKey: item.template.key,
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

      for (const item of accepted) {
        const key = item.input.idempotencyKey;
        if (key === undefined) {
          results[item.index] = { id: item.id ?? '', status: 'queued' };
          continue;
        }
        try {
          const existing = byKey.get(key);
          if (!existing) {
            throw new DomainError('conflict', 'A message with this idempotency key is being created; retry.');
          }
          checkSameMessage(existing, { contactId: item.contactId ?? '', templateKey: item.template.key });
          results[item.index] = { id: existing.id, status: existing.status as MessageStatus };
        } catch (error) {
          results[item.index] = itemError(error);
        }
      }
      return inserts.flatMap((item) => (item.id && inserted.has(item.id) ? [item.id] : []));
    },
    { timeout: TRANSACTION_TIMEOUT_MS },
  );

  if (created.length > 0) {
    const jobs = created.map((id) => sendMessageJob(id));
    try {
      // Bounded as a single send's enqueue is; the job ids are the message ids, so a late add is harmless.
      await within(
        deps.queue.addBulk(jobs.map((job) => ({ name: job.name, data: job.data, opts: job.opts }))),
        ENQUEUE_TIMEOUT_MS,
        'Redis',
      );
    } catch (error) {
      deps.log?.(
        `${created.length} batch messages stored but not enqueued (${(error as Error).message}); the reconciler will enqueue them`,
      );
    }
  }
  return results;
}

/** The item's data as stored: its template's secret values sealed under the message id. */
function stored(deps: SendMessageDeps, item: Item): string {
  return JSON.stringify(sealSecretVariables(deps.keys, item.id ?? '', item.template.key, item.input.data));
}

/** An item's error, as the single send would answer it; anything that is not the caller's fails the request. */
function itemError(error: unknown): SendMessageBatchResult {
  const [status, body] = errorResponse(error);
  if (status >= 500) throw error;
  return body;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
