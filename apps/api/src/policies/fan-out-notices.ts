import { Prisma } from '@herald/db';
import { uuid7 } from '../core/uuid7.js';
import { enqueuePolicyEmails } from './enqueue-policy-emails.js';
import { policyEmailData } from './policy-email-data.js';
import {
  type PolicySweepDeps,
  type PolicyTemplate,
  policyIdempotencyKey,
  type SweptVersion,
} from './policy-sweep-deps.js';

interface ContactRow {
  id: string;
  email: string | null;
  locale: string;
  timezone: string;
}

/**
 * Gives every contact without a notice of this version one, and an email when it has an address:
 * keyset pages over contacts (an anti-join skips those already noticed), each page one INSERT of
 * messages, their events and notices, then one addBulk. The notice is unique per contact and version
 * and the message's idempotency key too, so a second run, a concurrent one or a resumed one never
 * notifies anyone twice. Each run starts from the first contact rather than from a stored cursor: a
 * contact whose id was generated before the cursor but committed after it would otherwise be missed.
 */
export async function fanOutNotices(
  deps: PolicySweepDeps,
  {
    version,
    template,
    batchSize = 2000,
    keepGoing = async () => true,
  }: {
    version: SweptVersion;
    template: PolicyTemplate;
    batchSize?: number;
    /** Asked between pages: false stops the run (shutdown, lost lease); the next sweep resumes. */
    keepGoing?: () => Promise<boolean>;
  },
): Promise<{ noticed: number; emailed: number; complete: boolean }> {
  const { db } = deps;
  let after = '00000000-0000-0000-0000-000000000000';
  let noticed = 0;
  let emailed = 0;
  for (;;) {
    const contacts = await db.$queryRaw<ContactRow[]>(Prisma.sql`
      SELECT c.id::text, c.email, c.locale, c.timezone
        FROM contacts c
       WHERE c.id > ${after}::uuid AND c.erased_at IS NULL AND c.created_at < ${version.effectiveAt}
         AND NOT EXISTS (SELECT 1 FROM notices n
                          WHERE n.policy_version_id = ${version.id}::uuid AND n.contact_id = c.id)
       ORDER BY c.id
       LIMIT ${batchSize}`);
    if (contacts.length === 0) return { noticed, emailed, complete: true };
    after = (contacts.at(-1) as ContactRow).id;

    const messageIds = contacts.map((contact) => (contact.email ? uuid7() : null));
    const inserted = await db.$queryRaw<{ id: string }[]>(Prisma.sql`
      WITH input AS (
        SELECT * FROM unnest(
          ${contacts.map(() => uuid7())}::uuid[],
          ${contacts.map((contact) => contact.id)}::uuid[],
          ${messageIds}::uuid[],
          ${contacts.map((contact) => JSON.stringify(policyEmailData(version, contact)))}::text[],
          ${contacts.map((contact) => policyIdempotencyKey(version.id, contact.id, 1))}::text[]
        ) AS i(notice_id, contact_id, message_id, data, idempotency_key)),
      message AS (
        INSERT INTO messages (id, contact_id, template_id, category_key, class, data, idempotency_key, updated_at)
        SELECT message_id, contact_id, ${template.id}::uuid, ${template.categoryKey},
               ${template.class}::"MessageClass", data::jsonb, idempotency_key, now()
          FROM input WHERE message_id IS NOT NULL
        ON CONFLICT (idempotency_key) DO NOTHING
        RETURNING id, contact_id),
      event AS (
        INSERT INTO message_events (message_id, type) SELECT id, 'queued' FROM message),
      notice AS (
        INSERT INTO notices (id, policy_version_id, contact_id, message_id, email_attempts)
        SELECT i.notice_id, ${version.id}::uuid, i.contact_id, m.id, CASE WHEN m.id IS NULL THEN 0 ELSE 1 END
          FROM input i LEFT JOIN message m ON m.contact_id = i.contact_id
        ON CONFLICT (policy_version_id, contact_id) DO NOTHING
        RETURNING id)
      SELECT id::text FROM message
      UNION ALL
      SELECT NULL FROM notice`);
    const newMessageIds = inserted.flatMap((row) => (row.id ? [row.id] : []));
    noticed += inserted.length - newMessageIds.length;
    emailed += newMessageIds.length;
    await enqueuePolicyEmails(deps, {
      policyVersionId: version.id,
      ratePerSecond: version.ratePerSecond,
      messageIds: newMessageIds,
    });
    if (contacts.length < batchSize) return { noticed, emailed, complete: true };
    if (!(await keepGoing())) return { noticed, emailed, complete: false };
  }
}
