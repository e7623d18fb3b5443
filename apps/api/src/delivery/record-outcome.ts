import { type Db, Prisma } from '@herald/db';

type Outcome = 'queued' | 'sent' | 'suppressed' | 'failed' | 'bounced';

/**
 * Moves a claimed message ("sending") to its next status and appends the event, in one statement,
 * so a status never changes without the event that explains it.
 */
export async function recordOutcome(
  db: Db,
  {
    messageId,
    status,
    event,
    reason = null,
    detail = null,
    smtpMessageId = null,
  }: {
    messageId: string;
    status: Outcome;
    event: string;
    reason?: string | null;
    detail?: Record<string, unknown> | null;
    smtpMessageId?: string | null;
  },
): Promise<boolean> {
  const detailJson = detail === null ? null : JSON.stringify(detail);
  const rows = await db.$executeRaw(Prisma.sql`
    WITH moved AS (
      UPDATE messages
         SET status = ${status}::"MessageStatus",
             reason = ${reason},
             smtp_message_id = COALESCE(${smtpMessageId}, smtp_message_id),
             sent_at = CASE WHEN ${status} = 'sent' THEN now() ELSE sent_at END,
             claimed_at = NULL,
             updated_at = now()
       WHERE id = ${messageId}::uuid AND status = 'sending'
   RETURNING id)
    INSERT INTO message_events (message_id, type, detail)
    SELECT id, ${event}, ${detailJson}::jsonb FROM moved`);
  return rows === 1;
}

/**
 * Claims a message for sending. Only one claim can win, so a message is sent at most once even when
 * its job runs twice; a claim older than `staleAfterMs` (a worker died mid-send) can be taken over.
 */
export async function claimMessage(
  db: Db,
  { messageId, staleAfterMs }: { messageId: string; staleAfterMs: number },
) {
  const rows = await db.$queryRaw<
    {
      contact_id: string;
      template_id: string;
      category_key: string;
      class: 'transactional' | 'promotional';
      data: unknown;
      campaign_id: string | null;
    }[]
  >(Prisma.sql`
    UPDATE messages
       SET status = 'sending', claimed_at = now(), attempts = attempts + 1, updated_at = now()
     WHERE id = ${messageId}::uuid
       AND (status = 'queued'
            OR (status = 'sending' AND claimed_at < now() - make_interval(secs => ${staleAfterMs / 1000})))
 RETURNING contact_id, template_id, category_key, class::text AS class, data, campaign_id`);
  const row = rows[0];
  return row
    ? {
        contactId: row.contact_id,
        templateId: row.template_id,
        categoryKey: row.category_key,
        class: row.class,
        data: (row.data ?? {}) as Record<string, unknown>,
        campaignId: row.campaign_id,
      }
    : null;
}
