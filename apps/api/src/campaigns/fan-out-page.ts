import { type Db, Prisma } from '@herald/db';
import type { ResolvedAudience } from './audience.js';
import { audienceConditions } from './audience-conditions.js';

interface FanOutPageInput {
  campaignId: string;
  workerId: string;
  templateId: string;
  categoryKey: string;
  audience: ResolvedAudience;
  /** The last contact id already passed (null: from the start). */
  cursor: string | null;
  pageSize: number;
  /** Local-time mode: each zone's send instant; contacts in other zones get `fallback`. */
  sendTimes: { zones: string[]; at: Date[]; fallback: Date } | null;
}

interface FanOutPage {
  /** False when the campaign is no longer sending under this worker (paused, cancelled, taken over). */
  active: boolean;
  /** The new cursor; null when the page was empty (the fan-out is complete). */
  cursor: string | null;
  messages: { id: string; sendAfter: Date | null }[];
}

const FIRST_ID = '00000000-0000-0000-0000-000000000000';

/**
 * One page of a fan-out in one statement: read the next `pageSize` contacts by keyset (`id > cursor`),
 * keep those the audience filters and consent admit, insert their messages and `queued` events, and
 * move the campaign's cursor and targeted count, all atomically. The statement locks the campaign row
 * and writes only while the campaign is sending under this worker, so a pause or a cancel waits for
 * the page in progress and nothing is written after it. A contact already targeted (a page written
 * again after a crash) is skipped by the unique (campaign_id, contact_id) index.
 */
export async function fanOutPage(db: Db, input: FanOutPageInput): Promise<FanOutPage> {
  const { matches, consents } = audienceConditions(input.audience);
  const zones = input.sendTimes?.zones ?? [];
  const zoneTimes = input.sendTimes?.at ?? [];
  const fallback = input.sendTimes?.fallback ?? null;
  const [row] = await db.$queryRaw<
    { active: boolean; cursor: string | null; ids: string[] | null; due: (number | null)[] | null }[]
  >(
    Prisma.sql`
    WITH campaign AS (
      SELECT id FROM campaigns
       WHERE id = ${input.campaignId}::uuid AND status = 'sending' AND owner_id = ${input.workerId}::uuid
         FOR UPDATE),
    page AS (
      SELECT * FROM contacts
       WHERE id > ${input.cursor ?? FIRST_ID}::uuid AND EXISTS (SELECT 1 FROM campaign)
       ORDER BY id LIMIT ${input.pageSize}),
    zone_times AS (
      SELECT * FROM unnest(${zones}::text[], ${zoneTimes}::timestamptz[]) AS z(zone, at)),
    eligible AS (
      SELECT c.id, COALESCE(z.at, ${fallback}::timestamptz) AS send_after
        FROM page c LEFT JOIN zone_times z ON z.zone = c.timezone
       WHERE ${matches} AND ${consents}),
    inserted AS (
      INSERT INTO messages (id, contact_id, template_id, category_key, class, campaign_id, send_after, updated_at)
      SELECT herald_uuid7(), e.id, ${input.templateId}::uuid, ${input.categoryKey}, 'promotional',
             ${input.campaignId}::uuid, e.send_after, now()
        FROM eligible e ORDER BY e.id
      ON CONFLICT (campaign_id, contact_id) DO NOTHING
      RETURNING id, send_after),
    events AS (
      INSERT INTO message_events (message_id, type) SELECT id, 'queued' FROM inserted),
    last AS (
      SELECT id FROM page ORDER BY id DESC LIMIT 1),
    progress AS (
      UPDATE campaigns
         SET fanout_cursor = (SELECT id FROM last),
             targeted = targeted + (SELECT count(*) FROM inserted),
             updated_at = now()
       WHERE id IN (SELECT id FROM campaign) AND EXISTS (SELECT 1 FROM last))
    SELECT EXISTS (SELECT 1 FROM campaign) AS active,
           (SELECT id::text FROM last) AS cursor,
           (SELECT array_agg(id::text ORDER BY id) FROM inserted) AS ids,
           (SELECT array_agg((extract(epoch FROM send_after) * 1000)::float8 ORDER BY id) FROM inserted) AS due`,
  );
  if (!row) throw new Error('fan-out statement returned no row');
  const ids = row.ids ?? [];
  const due = row.due ?? [];
  return {
    active: row.active,
    cursor: row.cursor,
    messages: ids.map((id, index) => {
      const at = due[index];
      return { id, sendAfter: at === null || at === undefined ? null : new Date(at) };
    }),
  };
}
