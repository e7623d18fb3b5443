import {
  encodeCursor,
  type FeedbackReportList,
  type ListFeedbackReportsInput,
  type MessageClass,
} from '@herald/contract';
import { type Db, Prisma } from '@herald/db';

type Row = {
  id: string;
  received_at: Date;
  channel: string;
  kind: string;
  status: string | null;
  detail: string | null;
  matched: boolean;
  effect: string;
  message_id: string | null;
  campaign_id: string | null;
  campaign_name: string | null;
  contact_id: string | null;
  class: MessageClass | null;
};

/**
 * The latest bounce, complaint and delivery reports, matched or not, newest first, a page at a time
 * (keyset on received_at and id, which the received_at index serves), with the name of the
 * campaign each concerns. Reports keep the address's hash only, never the address.
 */
export async function listFeedbackReports(
  db: Db,
  input: ListFeedbackReportsInput,
): Promise<FeedbackReportList> {
  const rows = await db.$queryRaw<Row[]>(Prisma.sql`
    SELECT f.id::text, f.received_at, f.channel, f.kind, f.status, f.detail, f.matched, f.effect,
           f.message_id::text, f.campaign_id::text, k.name AS campaign_name, f.contact_id::text,
           f.class::text AS class
      FROM feedback_reports f
      LEFT JOIN campaigns k ON k.id = f.campaign_id
     WHERE TRUE
       ${input.kind ? Prisma.sql`AND f.kind = ${input.kind}` : Prisma.empty}
       ${
         input.cursor
           ? Prisma.sql`AND (f.received_at, f.id) < (${input.cursor.at}::timestamp, ${input.cursor.id}::uuid)`
           : Prisma.empty
       }
     ORDER BY f.received_at DESC, f.id DESC
     LIMIT ${input.limit}`);
  const last = rows.at(-1);
  return {
    reports: rows.map((row) => ({
      id: row.id,
      receivedAt: row.received_at.toISOString(),
      channel: row.channel,
      kind: row.kind,
      status: row.status,
      detail: row.detail,
      matched: row.matched,
      effect: row.effect,
      messageId: row.message_id,
      campaignId: row.campaign_id,
      campaignName: row.campaign_name,
      contactId: row.contact_id,
      class: row.class,
    })),
    next: rows.length === input.limit && last ? encodeCursor({ at: last.received_at, id: last.id }) : null,
  };
}
