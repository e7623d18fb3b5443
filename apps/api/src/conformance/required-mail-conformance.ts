import type { ConformanceReport } from '@herald/contract';
import { type Db, Prisma } from '@herald/db';

/**
 * Why a required message may go unsent: the address cannot take mail. A bounce (at the SMTP server
 * or reported later), no address at all, or an address suppressed for bouncing.
 */
const UNDELIVERABLE_REASONS = new Set(['hard-bounce', 'no-address', 'soft-bounce-limit']);

const isUndeliverable = (status: string, reason: string) =>
  status === 'bounced' || (status === 'suppressed' && UNDELIVERABLE_REASONS.has(reason));

/**
 * Every required transactional message created in the period that was not sent, by status and
 * reason. The promise is that opt-outs never stop one: only an undeliverable address may.
 */
export async function requiredMailConformance(
  db: Db,
  from: Date,
  to: Date,
): Promise<ConformanceReport['requiredMail']> {
  const rows = await db.$queryRaw<{ status: string; reason: string; messages: number }[]>(Prisma.sql`
    SELECT m.status::text AS status, coalesce(m.reason, '') AS reason, count(*)::int AS messages
      FROM messages m JOIN categories k ON k.key = m.category_key AND k.required
     WHERE m.created_at >= ${from} AND m.created_at < ${to}
     GROUP BY 1, 2
     ORDER BY 3 DESC, 1, 2`);
  const notSentRows = rows.filter((row) => ['suppressed', 'failed', 'bounced'].includes(row.status));
  const otherwise = notSentRows.filter((row) => !isUndeliverable(row.status, row.reason));
  const breaches =
    otherwise.length === 0
      ? []
      : await db.$queryRaw<
          { id: string; category_key: string; status: string; reason: string | null; created_at: Date }[]
        >(Prisma.sql`
          SELECT m.id::text, m.category_key, m.status::text, m.reason, m.created_at
            FROM messages m JOIN categories k ON k.key = m.category_key AND k.required
           WHERE m.created_at >= ${from} AND m.created_at < ${to}
             AND m.status IN ('suppressed', 'failed', 'bounced')
             AND m.status <> 'bounced'
             AND NOT (m.status = 'suppressed' AND coalesce(m.reason, '') = ANY(${[...UNDELIVERABLE_REASONS]}::text[]))
           ORDER BY m.created_at
           LIMIT 100`);
  const sum = (list: typeof rows) => list.reduce((total, row) => total + row.messages, 0);
  return {
    created: sum(rows),
    sent: sum(rows.filter((row) => row.status === 'sent')),
    notSent: sum(notSentRows),
    undeliverable: sum(notSentRows) - sum(otherwise),
    otherwise: sum(otherwise),
    byReason: notSentRows.map((row) => ({
      status: row.status,
      reason: row.reason,
      messages: row.messages,
      undeliverable: isUndeliverable(row.status, row.reason),
    })),
    breaches: breaches.map((row) => ({
      messageId: row.id,
      category: row.category_key,
      status: row.status,
      reason: row.reason,
      createdAt: row.created_at.toISOString(),
    })),
  };
}
