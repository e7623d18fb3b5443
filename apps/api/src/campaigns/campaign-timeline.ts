import type { CampaignTimeline, TimelinePoint } from '@herald/contract';
import { type Db, Prisma } from '@herald/db';

/**
 * Messages finished per interval (sent, suppressed, failed, bounced), for the progress chart. The
 * interval is chosen from the campaign's duration (about 300 points) unless the caller gives one.
 */
export async function campaignTimeline(
  db: Db,
  { id, start, end, bucket }: { id: string; start: Date; end: Date; bucket?: number | undefined },
): Promise<CampaignTimeline> {
  const seconds = bucket ?? Math.max(1, Math.ceil((end.getTime() - start.getTime()) / 1000 / 300));
  const rows = await db.$queryRaw<{ at: Date; status: string; n: number }[]>(Prisma.sql`
    SELECT date_bin(make_interval(secs => ${seconds}), COALESCE(sent_at, updated_at), ${start}::timestamp) AS at,
           status::text, count(*)::int AS n
      FROM messages
     WHERE campaign_id = ${id}::uuid AND status IN ('sent', 'suppressed', 'failed', 'bounced')
     GROUP BY 1, 2 ORDER BY 1`);
  const points = new Map<number, TimelinePoint>();
  for (const row of rows) {
    const key = row.at.getTime();
    const point = points.get(key) ?? {
      at: row.at.toISOString(),
      sent: 0,
      suppressed: 0,
      failed: 0,
      bounced: 0,
    };
    point[row.status as 'sent' | 'suppressed' | 'failed' | 'bounced'] = row.n;
    points.set(key, point);
  }
  return { bucketSeconds: seconds, points: [...points.values()] };
}
