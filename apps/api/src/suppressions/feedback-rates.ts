import type {
  FeedbackRates,
  FeedbackRatesInput,
  MessageClass,
  RatePoint,
  RateSeries,
} from '@herald/contract';
import { type Db, Prisma } from '@herald/db';

type Row = {
  at: Date;
  class: MessageClass;
  campaign_id: string | null;
  sent: number;
  hard_bounces: number;
  complaints: number;
};

type Counts = Pick<RatePoint, 'sent' | 'hardBounces' | 'complaints'>;

const BUCKET_MS = { hour: 60 * 60 * 1000, day: 24 * 60 * 60 * 1000 } as const;
const CAMPAIGNS_SHOWN = 10;

/**
 * Hard-bounce and complaint rates per stream (message class) and per campaign, per hour or day (UTC):
 * the messages of a bucket that hard-bounced or were complained about, over the messages the relay
 * accepted in it (messages.sent_at). A message counts once, at its first hard bounce (refused for its
 * address at send time, or reported later) and at its first complaint. Reports that name no message
 * (an address only, or none) belong to no stream and are not counted here; the report list shows them.
 * Each series has every bucket of the window, empty ones included, so a chart can plot it as it is.
 */
export async function feedbackRates(
  db: Db,
  { from, to, bucket }: FeedbackRatesInput,
): Promise<FeedbackRates> {
  const rows = await db.$queryRaw<Row[]>(Prisma.sql`
    WITH hard AS (
      SELECT message_id, min(at) AS at FROM (
        SELECT f.message_id, f.received_at AS at FROM feedback_reports f
         WHERE f.kind = 'hard-bounce' AND f.message_id IS NOT NULL
           AND f.received_at >= ${from}::timestamp AND f.received_at < ${to}::timestamp
        UNION ALL
        -- Refused at RCPT: never accepted, so no sent_at; the refusal was its last change.
        SELECT m.id, m.updated_at FROM messages m
         WHERE m.status = 'bounced' AND m.sent_at IS NULL
           AND m.updated_at >= ${from}::timestamp AND m.updated_at < ${to}::timestamp
      ) bounces GROUP BY message_id
    ), complained AS (
      SELECT f.message_id, min(f.received_at) AS at FROM feedback_reports f
       WHERE f.kind = 'complaint' AND f.message_id IS NOT NULL
         AND f.received_at >= ${from}::timestamp AND f.received_at < ${to}::timestamp
       GROUP BY f.message_id
    ), counted AS (
      SELECT 'sent' AS what, m.class, m.campaign_id, m.sent_at AS at FROM messages m
       WHERE m.sent_at >= ${from}::timestamp AND m.sent_at < ${to}::timestamp
      UNION ALL
      SELECT 'hard', m.class, m.campaign_id, h.at FROM hard h JOIN messages m ON m.id = h.message_id
      UNION ALL
      SELECT 'complaint', m.class, m.campaign_id, c.at FROM complained c JOIN messages m ON m.id = c.message_id
    )
    SELECT date_trunc(${bucket}, at) AS at, class::text AS class, campaign_id::text,
           count(*) FILTER (WHERE what = 'sent')::int AS sent,
           count(*) FILTER (WHERE what = 'hard')::int AS hard_bounces,
           count(*) FILTER (WHERE what = 'complaint')::int AS complaints
      FROM counted GROUP BY 1, 2, 3`);

  const size = BUCKET_MS[bucket];
  const first = Math.floor(from.getTime() / size) * size;
  const slots = Math.ceil((to.getTime() - first) / size);
  const empty = () =>
    Array.from({ length: slots }, (): Counts => ({ sent: 0, hardBounces: 0, complaints: 0 }));
  const streams: Record<MessageClass, Counts[]> = { transactional: empty(), promotional: empty() };
  const campaigns = new Map<string, Counts[]>();
  for (const row of rows) {
    const slot = Math.floor((row.at.getTime() - first) / size);
    const targets = [streams[row.class]];
    if (row.campaign_id) {
      const series = campaigns.get(row.campaign_id) ?? empty();
      campaigns.set(row.campaign_id, series);
      targets.push(series);
    }
    for (const series of targets) {
      const point = series[slot];
      if (!point) continue;
      point.sent += row.sent;
      point.hardBounces += row.hard_bounces;
      point.complaints += row.complaints;
    }
  }

  const shown = [...campaigns.entries()]
    .map(([id, series]) => ({ id, series, totals: sum(series) }))
    .sort((a, b) => b.totals.sent - a.totals.sent || a.id.localeCompare(b.id))
    .slice(0, CAMPAIGNS_SHOWN);
  const names = new Map(
    shown.length === 0
      ? []
      : (
          await db.campaign.findMany({
            where: { id: { in: shown.map((campaign) => campaign.id) } },
            select: { id: true, name: true },
          })
        ).map((campaign) => [campaign.id, campaign.name]),
  );
  const toSeries = (series: Counts[]): RateSeries => ({
    totals: withRates(sum(series)),
    points: series.map((counts, index) => ({
      at: new Date(first + index * size).toISOString(),
      ...withRates(counts),
    })),
  });

  return {
    from: from.toISOString(),
    to: to.toISOString(),
    bucket,
    streams: { transactional: toSeries(streams.transactional), promotional: toSeries(streams.promotional) },
    campaigns: shown.map(({ id, series }) => ({ id, name: names.get(id) ?? id, ...toSeries(series) })),
  };
}

function sum(series: Counts[]): Counts {
  return series.reduce(
    (total, point) => ({
      sent: total.sent + point.sent,
      hardBounces: total.hardBounces + point.hardBounces,
      complaints: total.complaints + point.complaints,
    }),
    { sent: 0, hardBounces: 0, complaints: 0 },
  );
}

function withRates(counts: Counts): Omit<RatePoint, 'at'> {
  return {
    ...counts,
    bounceRate: counts.sent > 0 ? counts.hardBounces / counts.sent : null,
    complaintRate: counts.sent > 0 ? counts.complaints / counts.sent : null,
  };
}
