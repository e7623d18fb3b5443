import type { CampaignReport } from '@herald/contract';
import { type Db, Prisma } from '@herald/db';
import { campaignCounts } from './campaign-stats.js';
import { csvLine } from '../core/csv.js';

/**
 * Clicks of one message on at least this many different links within BURST_WINDOW_SECONDS of its
 * delivery are a link scanner's or prefetcher's (a mail security gateway follows every link of a
 * message as it arrives), however ordinary its user agent looks.
 */
export const BURST_MIN_LINKS = 2;
export const BURST_WINDOW_SECONDS = 10;
const TOP_LINKS = 20;

type ClickRow = { kind: string | null; message_id: string; url: string; clicked_at: Date; locale: string };

/**
 * What happened to a campaign's mail: deliveries, bounces, unsubscribes and complaints from the
 * counts the console already shows, and clicks classified here (docs/decisions/022-click-tracking.md):
 * a click the web server marked (a known scanner's user agent, a HEAD request) is a machine's, and so
 * is every click of a message's burst: BURST_MIN_LINKS or more different links within
 * BURST_WINDOW_SECONDS of delivery. Everything else is a person's; a person's repeated clicks on
 * one message count once as a unique human click.
 */
export async function campaignReport(
  db: Db,
  campaign: { id: string; complaints: number; fanoutStartedAt: Date | null; createdAt: Date },
  now = new Date(),
): Promise<CampaignReport> {
  const { id } = campaign;
  const window = Prisma.sql`make_interval(secs => ${BURST_WINDOW_SECONDS})`;
  const [figures, clicks, locales] = await Promise.all([
    campaignCounts(db, [id]),
    db.$queryRaw<ClickRow[]>(Prisma.sql`
      WITH clicks AS (
        SELECT c.message_id, c.link_index, c.url, c.clicked_at, c.machine, m.sent_at, k.locale
          FROM link_clicks c
          JOIN messages m ON m.id = c.message_id
          JOIN contacts k ON k.id = m.contact_id
         WHERE m.campaign_id = ${id}::uuid),
      bursts AS (
        SELECT message_id FROM clicks
         WHERE machine IS NULL AND sent_at IS NOT NULL AND clicked_at <= sent_at + ${window}
         GROUP BY message_id HAVING count(DISTINCT link_index) >= ${BURST_MIN_LINKS})
      SELECT COALESCE(c.machine,
                      CASE WHEN b.message_id IS NOT NULL AND c.clicked_at <= c.sent_at + ${window}
                           THEN 'burst' END) AS kind,
             c.message_id::text, c.url, c.clicked_at, c.locale
        FROM clicks c LEFT JOIN bursts b ON b.message_id = c.message_id
       ORDER BY c.clicked_at`),
    db.$queryRaw<{ locale: string; delivered: number }[]>(Prisma.sql`
      SELECT k.locale, count(*)::int AS delivered
        FROM messages m JOIN contacts k ON k.id = m.contact_id
       WHERE m.campaign_id = ${id}::uuid AND m.status = 'sent'
       GROUP BY 1`),
  ]);
  const counts = figures.get(id);
  // Accepted by the relay (status sent), less the bounces reported after that (counted in bounced).
  const lateBounces = counts ? counts.bounced - (counts.left - counts.sent) : 0;
  const delivered = Math.max(0, (counts?.sent ?? 0) - lateBounces);
  const perThousand = (n: number) => (delivered > 0 ? (n * 1000) / delivered : null);
  const rate = (n: number, of: number) => (of > 0 ? n / of : null);

  const human = clicks.filter((click) => click.kind === null);
  const machine = clicks.filter((click) => click.kind !== null);
  const machineByReason: Record<string, number> = {};
  for (const click of machine)
    machineByReason[click.kind ?? ''] = (machineByReason[click.kind ?? ''] ?? 0) + 1;
  const clickers = new Set(human.map((click) => click.message_id));

  const links = new Map<
    string,
    { url: string; people: Set<string>; humanClicks: number; machineClicks: number }
  >();
  for (const click of clicks) {
    const link = links.get(click.url) ?? {
      url: click.url,
      people: new Set(),
      humanClicks: 0,
      machineClicks: 0,
    };
    if (click.kind === null) {
      link.people.add(click.message_id);
      link.humanClicks += 1;
    } else link.machineClicks += 1;
    links.set(click.url, link);
  }
  const topLinks = [...links.values()]
    .map((link) => ({
      url: link.url,
      uniqueHumanClicks: link.people.size,
      humanClicks: link.humanClicks,
      machineClicks: link.machineClicks,
    }))
    .sort(
      (a, b) =>
        b.uniqueHumanClicks - a.uniqueHumanClicks ||
        b.humanClicks - a.humanClicks ||
        a.url.localeCompare(b.url),
    )
    .slice(0, TOP_LINKS);

  const byLocale = new Map(
    locales.map((row) => [row.locale, { delivered: row.delivered, people: new Set<string>() }]),
  );
  for (const click of human) {
    const entry = byLocale.get(click.locale) ?? { delivered: 0, people: new Set<string>() };
    entry.people.add(click.message_id);
    byLocale.set(click.locale, entry);
  }

  return {
    campaignId: id,
    generatedAt: now.toISOString(),
    delivered,
    bounced: counts?.bounced ?? 0,
    uniqueHumanClicks: clickers.size,
    clickRate: rate(clickers.size, delivered),
    humanClicks: human.length,
    machineClicks: machine.length,
    machineByReason,
    unsubscribes: counts?.unsubscribed ?? 0,
    unsubscribesPerThousand: perThousand(counts?.unsubscribed ?? 0),
    complaints: campaign.complaints,
    complaintsPerThousand: perThousand(campaign.complaints),
    topLinks,
    overTime: overTime(clicks, campaign.fanoutStartedAt ?? campaign.createdAt, now),
    byLocale: [...byLocale.entries()]
      .map(([locale, entry]) => ({
        locale,
        delivered: entry.delivered,
        uniqueHumanClicks: entry.people.size,
        clickRate: rate(entry.people.size, entry.delivered),
      }))
      .sort((a, b) => b.delivered - a.delivered || a.locale.localeCompare(b.locale)),
    burstWindowSeconds: BURST_WINDOW_SECONDS,
  };
}

/**
 * Clicks per interval from the campaign's start: about 48 intervals, whole minutes, hours or days.
 * A unique human click is counted in the interval of that person's first click.
 */
function overTime(clicks: ClickRow[], start: Date, now: Date): CampaignReport['overTime'] {
  const last = clicks.at(-1)?.clicked_at ?? now;
  const spanSeconds = Math.max(60, (Math.max(last.getTime(), start.getTime()) - start.getTime()) / 1000);
  const steps = [60, 300, 900, 3600, 3 * 3600, 6 * 3600, 86_400, 7 * 86_400];
  const bucketSeconds = steps.find((step) => spanSeconds / step <= 48) ?? 7 * 86_400;
  const origin = Math.floor(start.getTime() / 1000 / bucketSeconds) * bucketSeconds;
  const count = Math.floor((last.getTime() / 1000 - origin) / bucketSeconds) + 1;
  const points = Array.from({ length: Math.max(1, count) }, (_, index) => ({
    at: new Date((origin + index * bucketSeconds) * 1000).toISOString(),
    uniqueHumanClicks: 0,
    humanClicks: 0,
    machineClicks: 0,
  }));
  const seen = new Set<string>();
  for (const click of clicks) {
    const index = Math.floor((click.clicked_at.getTime() / 1000 - origin) / bucketSeconds);
    const point = points[Math.min(Math.max(index, 0), points.length - 1)];
    if (!point) continue;
    if (click.kind !== null) point.machineClicks += 1;
    else {
      point.humanClicks += 1;
      if (!seen.has(click.message_id)) {
        seen.add(click.message_id);
        point.uniqueHumanClicks += 1;
      }
    }
  }
  return { bucketSeconds, points };
}

export const REPORT_CSV_HEADER = ['section', 'item', 'metric', 'value'] as const;

/** The report as CSV, one figure a line (section, item, metric, value): summary, link, locale, time. */
export function reportCsvLines(report: CampaignReport): string[] {
  const lines: string[] = [];
  const add = (section: string, item: string, metric: string, value: number | null) =>
    lines.push(csvLine([section, item, metric, value ?? '']));
  for (const metric of [
    'delivered',
    'bounced',
    'uniqueHumanClicks',
    'clickRate',
    'humanClicks',
    'machineClicks',
    'unsubscribes',
    'unsubscribesPerThousand',
    'complaints',
    'complaintsPerThousand',
  ] as const) {
    add('summary', '', metric, report[metric]);
  }
  for (const [reason, n] of Object.entries(report.machineByReason)) add('machine', reason, 'clicks', n);
  for (const link of report.topLinks) {
    add('link', link.url, 'uniqueHumanClicks', link.uniqueHumanClicks);
    add('link', link.url, 'humanClicks', link.humanClicks);
    add('link', link.url, 'machineClicks', link.machineClicks);
  }
  for (const locale of report.byLocale) {
    add('locale', locale.locale, 'delivered', locale.delivered);
    add('locale', locale.locale, 'uniqueHumanClicks', locale.uniqueHumanClicks);
    add('locale', locale.locale, 'clickRate', locale.clickRate);
  }
  for (const point of report.overTime.points) {
    add('time', point.at, 'uniqueHumanClicks', point.uniqueHumanClicks);
    add('time', point.at, 'humanClicks', point.humanClicks);
    add('time', point.at, 'machineClicks', point.machineClicks);
  }
  return lines;
}
