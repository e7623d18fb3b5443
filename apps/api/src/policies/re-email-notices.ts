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

interface NoticeRow {
  notice_id: string;
  contact_id: string;
  previous_message_id: string | null;
  email_attempts: number;
  locale: string;
  timezone: string;
}

/**
 * Emails notices that still need one: a failed delivery (a permanent non-bounce refusal, or
 * temporary failures past DELIVERY_ATTEMPTS) is sent again as a new message once `retryAfterMs` has
 * passed since it failed, and a contact noticed without an address that has one now gets its first
 * email. Bounced and suppressed addresses are not retried: their in-app notice covers them. The
 * new message's key carries the attempt number and the notice moves to it only from the attempt it
 * was read at, so two sweeps at once create one message.
 */
export async function reEmailNotices(
  deps: PolicySweepDeps,
  {
    version,
    template,
    retryAfterMs,
    batchSize = 1000,
    keepGoing = async () => true,
  }: {
    version: SweptVersion;
    template: PolicyTemplate;
    retryAfterMs: number;
    batchSize?: number;
    keepGoing?: () => Promise<boolean>;
  },
): Promise<{ retried: number; firstEmails: number }> {
  const { db } = deps;
  let after = '00000000-0000-0000-0000-000000000000';
  let retried = 0;
  let firstEmails = 0;
  for (;;) {
    // Two narrow reads rather than one scan of every notice: failed messages are few (the status
    // index finds them), and so are notices without an email.
    const rows = await db.$queryRaw<NoticeRow[]>(Prisma.sql`
      SELECT notice_id::text, contact_id, previous_message_id, email_attempts, locale, timezone FROM (
        SELECT n.id AS notice_id, n.contact_id::text, n.message_id::text AS previous_message_id,
               n.email_attempts, c.locale, c.timezone
          FROM messages m
          JOIN notices n ON n.message_id = m.id
          JOIN contacts c ON c.id = n.contact_id
         WHERE m.status = 'failed' AND m.updated_at < now() - make_interval(secs => ${retryAfterMs / 1000})
           AND n.policy_version_id = ${version.id}::uuid AND c.email IS NOT NULL AND c.erased_at IS NULL
        UNION ALL
        SELECT n.id, n.contact_id::text, NULL, n.email_attempts, c.locale, c.timezone
          FROM notices n
          JOIN contacts c ON c.id = n.contact_id
         WHERE n.policy_version_id = ${version.id}::uuid AND n.message_id IS NULL
           AND c.email IS NOT NULL AND c.erased_at IS NULL) due
       WHERE notice_id > ${after}::uuid
       ORDER BY notice_id
       LIMIT ${batchSize}`);
    if (rows.length === 0) return { retried, firstEmails };
    after = (rows.at(-1) as NoticeRow).notice_id;

    const inserted = await db.$queryRaw<{ id: string; retry: boolean }[]>(Prisma.sql`
      WITH input AS (
        SELECT * FROM unnest(
          ${rows.map((row) => row.notice_id)}::uuid[],
          ${rows.map((row) => row.contact_id)}::uuid[],
          ${rows.map((row) => row.previous_message_id)}::uuid[],
          ${rows.map((row) => row.email_attempts + 1)}::int[],
          ${rows.map(() => uuid7())}::uuid[],
          ${rows.map((row) => JSON.stringify(policyEmailData(version, row)))}::text[],
          ${rows.map((row) => policyIdempotencyKey(version.id, row.contact_id, row.email_attempts + 1))}::text[]
        ) AS i(notice_id, contact_id, previous_message_id, attempt, message_id, data, idempotency_key)),
      message AS (
        INSERT INTO messages (id, contact_id, template_id, category_key, class, data, idempotency_key, updated_at)
        SELECT message_id, contact_id, ${template.id}::uuid, ${template.categoryKey},
               ${template.class}::"MessageClass", data::jsonb, idempotency_key, now()
          FROM input
        ON CONFLICT (idempotency_key) DO NOTHING
        RETURNING id),
      event AS (
        INSERT INTO message_events (message_id, type, detail)
        SELECT m.id, 'queued',
               CASE WHEN i.previous_message_id IS NULL THEN NULL
                    ELSE jsonb_build_object('retryOf', i.previous_message_id) END
          FROM message m JOIN input i ON i.message_id = m.id),
      notice AS (
        UPDATE notices n
           SET message_id = i.message_id, email_attempts = i.attempt
          FROM input i JOIN message m ON m.id = i.message_id
         WHERE n.id = i.notice_id AND n.email_attempts = i.attempt - 1)
      SELECT m.id::text, i.previous_message_id IS NOT NULL AS retry
        FROM message m JOIN input i ON i.message_id = m.id`);
    retried += inserted.filter((row) => row.retry).length;
    firstEmails += inserted.filter((row) => !row.retry).length;
    await enqueuePolicyEmails(deps, {
      policyVersionId: version.id,
      ratePerSecond: version.ratePerSecond,
      messageIds: inserted.map((row) => row.id),
    });
    if (rows.length < batchSize || !(await keepGoing())) return { retried, firstEmails };
  }
}
