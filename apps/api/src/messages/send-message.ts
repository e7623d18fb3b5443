import type { SendMessageInput } from '@herald/contract';
import { type Db, Prisma } from '@herald/db';
import type { SystemVariables, TemplateRenderer } from '@herald/templates';
import type { SigningKey } from '@herald/preferences';
import type { Queue } from 'bull';
import { uuid7 } from '../core/uuid7.js';
import { DomainError } from '../core/domain-error.js';
import { within } from '../core/within.js';
import { sendMessageJob } from '../delivery/delivery-queue.js';
import type { TemplateCache } from '../templates/template-cache.js';
import type { StoredTemplate } from '../templates/find-template.js';
import { toRenderSource } from '../templates/template-source.js';
import { sealSecretVariables } from './seal-secret-variables.js';

export interface SendMessageDeps {
  db: Db;
  templates: TemplateCache;
  queue: Queue;
  renderer: TemplateRenderer;
  sampleSystem: SystemVariables;
  /** HERALD_SECRET's keys: a template's secret values are sealed under the first (sealed-data.ts). */
  keys: readonly SigningKey[];
  log?: (message: string) => void;
}

/** How long a caller waits for Redis to take the job before the reconciler is left to enqueue it. */
export const ENQUEUE_TIMEOUT_MS = 500;

/**
 * Accepts one message: checks the template and its data now (so a caller learns of a missing
 * variable at once, not from a failed message), stores it as queued and enqueues its delivery.
 * Whether it may go is decided later, by the worker, at send time.
 */
export async function sendMessage(deps: SendMessageDeps, input: SendMessageInput) {
  const { db } = deps;
  const template = await checkTemplateAndData(deps, input);
  const contactId = await resolveContact(db, input.to);
  const id = uuid7();
  const stored = sealSecretVariables(deps.keys, id, template.key, input.data);
  // One statement: the message and its first event, atomically, in one round trip (the hot path).
  const inserted = await db.$queryRaw<{ id: string }[]>(Prisma.sql`
    WITH message AS (
      INSERT INTO messages (id, contact_id, template_id, category_key, class, data, idempotency_key, updated_at)
      VALUES (${id}::uuid, ${contactId}::uuid, ${template.id}::uuid, ${template.category.key},
              ${template.category.class}::"MessageClass", ${JSON.stringify(stored)}::jsonb,
              ${input.idempotencyKey ?? null}, now())
      ON CONFLICT (idempotency_key) DO NOTHING
      RETURNING id)
    INSERT INTO message_events (message_id, type) SELECT id, 'queued' FROM message RETURNING message_id AS id`);
  if (inserted.length === 0 && input.idempotencyKey) {
    return replay(db, input.idempotencyKey, { contactId, templateKey: template.key });
  }
  const job = sendMessageJob(id);
  try {
    // While Redis is unreachable the client holds commands for minutes: the caller would time out and
    // send again. The job still goes in if Redis comes back (the job id is the message id).
    await within(deps.queue.add(job.name, job.data, job.opts), ENQUEUE_TIMEOUT_MS, 'Redis');
  } catch (error) {
    // The row is the source of truth: the worker's reconciler enqueues queued messages it finds without a job.
    deps.log?.(
      `message ${id} stored but not enqueued (${(error as Error).message}); the reconciler will enqueue it`,
    );
  }
  return { id, status: 'queued' as const, created: true };
}

/**
 * The latest version of the message's template, once its data has rendered with it (a missing
 * variable is the caller's error now, not a failed message later). Shared by single and batch sends.
 */
export async function checkTemplateAndData(
  deps: Pick<SendMessageDeps, 'templates' | 'renderer' | 'sampleSystem'>,
  input: SendMessageInput,
): Promise<StoredTemplate> {
  const template = await deps.templates.latest(input.template);
  if (!template) throw new DomainError('unknown_template', `No template with key "${input.template}".`);
  const compiled = await deps.renderer.compile(toRenderSource(template));
  deps.renderer.render(compiled, { ...input.data, ...deps.sampleSystem });
  return template;
}

async function resolveContact(db: Db, to: SendMessageInput['to']): Promise<string> {
  if ('contactId' in to) {
    const contact = await db.contact.findUnique({ where: { id: to.contactId }, select: { id: true } });
    if (!contact) throw new DomainError('unknown_contact', `No contact with id "${to.contactId}".`);
    return contact.id;
  }
  // Insert-or-read in one round trip (a second try covers a concurrent insert of the same address).
  // A contact created by a send never asked for marketing: promotional defaults are no consent for it
  // (promotional_defaults false) until it subscribes itself. An existing contact is left as it is.
  for (let attempt = 0; attempt < 2; attempt++) {
    const rows = await db.$queryRaw<{ id: string }[]>(Prisma.sql`
      WITH inserted AS (
        INSERT INTO contacts (id, email, promotional_defaults, updated_at)
        VALUES (${uuid7()}::uuid, ${to.email}, false, now())
        ON CONFLICT (email) DO NOTHING
        RETURNING id)
      SELECT id::text FROM inserted
      UNION ALL
      SELECT id::text FROM contacts WHERE email = ${to.email}
      LIMIT 1`);
    if (rows[0]) return rows[0].id;
  }
  throw new DomainError('conflict', 'The contact for this address is being created concurrently; retry.');
}

/** The same idempotency key returns the same message; reusing it for another message is a conflict. */
async function replay(db: Db, idempotencyKey: string, expected: { contactId: string; templateKey: string }) {
  const existing = await db.message.findUnique({
    where: { idempotencyKey },
    select: { id: true, status: true, contactId: true, template: { select: { key: true } } },
  });
  if (!existing)
    throw new DomainError('conflict', 'A message with this idempotency key is being created; retry.');
  checkSameMessage({ contactId: existing.contactId, templateKey: existing.template.key }, expected);
  return { id: existing.id, status: existing.status, created: false };
}

/** A reused idempotency key must name the same recipient and template as the message it first created. */
export function checkSameMessage(
  existing: { contactId: string; templateKey: string },
  expected: { contactId: string; templateKey: string },
): void {
  if (existing.contactId !== expected.contactId || existing.templateKey !== expected.templateKey) {
    throw new DomainError(
      'idempotency_key_reused',
      'This idempotency key was already used for a different message (another recipient or template).',
    );
  }
}
