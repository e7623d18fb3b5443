import type { ConformanceReport, OptOutChannel } from '@herald/contract';
import { type Db, Prisma } from '@herald/db';

type OptOuts = ConformanceReport['optOuts'];

/** The consent-log source each channel's opt-outs are written with. */
const CHANNEL_OF_SOURCE: Record<string, OptOutChannel> = {
  'one-click': 'one-click',
  'unsubscribe-page': 'unsubscribe-page',
  'preference-center': 'preference-center',
  'account-page': 'account-page',
  mailto: 'mailto',
  admin: 'support',
  api: 'api',
  complaint: 'complaint',
  import: 'import',
};

const BREACHES_SHOWN = 100;

/**
 * Every opt-out written in the period, by channel, and every message in its scope whose SMTP
 * transaction started after it while it stood. An opt-out is an `unsubscribe` row (its category,
 * or every promotional category when it names none), or a `suppress` row from a complaint or from
 * support (every promotional category). It stands until the same person subscribes again to the
 * message's category or to everything (or, for a suppression, until it is lifted).
 */
export async function optOutConformance(db: Db, from: Date, to: Date): Promise<OptOuts> {
  const sources = Object.keys(CHANNEL_OF_SOURCE);
  const [counts, hits, complaintDelays, requestDelays] = await Promise.all([
    db.$queryRaw<{ source: string; optouts: number }[]>(Prisma.sql`
      SELECT source::text AS source, count(*)::int AS optouts
        FROM consent_log
       WHERE occurred_at >= ${from} AND occurred_at < ${to}
         AND (action = 'unsubscribe' OR (action = 'suppress' AND source IN ('complaint', 'admin')))
         AND source::text = ANY(${sources}::text[])
       GROUP BY 1`),
    db.$queryRaw<
      {
        opt_id: string;
        contact_id: string;
        source: string;
        opt_category: string | null;
        occurred_at: Date;
        message_id: string;
        category_key: string;
        status: string;
        send_started_at: Date;
      }[]
    >(Prisma.sql`
      WITH opt AS (
        SELECT l.id, l.contact_id, l.category_key, l.source::text AS source, l.action, l.occurred_at
          FROM consent_log l
         WHERE l.occurred_at >= ${from} AND l.occurred_at < ${to}
           AND (l.action = 'unsubscribe' OR (l.action = 'suppress' AND l.source IN ('complaint', 'admin')))
      )
      SELECT o.id::text AS opt_id, o.contact_id::text, o.source, o.category_key AS opt_category, o.occurred_at,
             m.id::text AS message_id, m.category_key, m.status::text, m.send_started_at
        FROM opt o
        JOIN messages m ON m.contact_id = o.contact_id
         AND m.send_started_at > o.occurred_at
         AND m.status IN ('sent', 'bounced', 'failed')
         AND CASE WHEN o.category_key IS NULL THEN m.class = 'promotional'
                  ELSE m.category_key = o.category_key END
       WHERE NOT EXISTS (
               SELECT 1 FROM consent_log r
                WHERE r.contact_id = o.contact_id
                  AND r.occurred_at > o.occurred_at AND r.occurred_at < m.send_started_at
                  AND ((r.action = 'subscribe' AND (r.category_key IS NULL OR r.category_key = m.category_key))
                       OR (r.action = 'unsuppress' AND o.action = 'suppress')))
       ORDER BY o.occurred_at, o.id, m.send_started_at`),
    // A complaint's effect: from the report's arrival to the suppression it caused.
    db.$queryRaw<{ matched: number; median_ms: number | null; max_ms: number | null }[]>(Prisma.sql`
      SELECT count(*)::int AS matched,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::float8 AS median_ms,
             max(ms)::float8 AS max_ms
        FROM (SELECT DISTINCT ON (l.id) extract(epoch FROM (l.occurred_at - f.received_at)) * 1000 AS ms
                FROM consent_log l
                JOIN feedback_reports f ON f.message_id = l.message_id AND f.kind = 'complaint'
               WHERE l.occurred_at >= ${from} AND l.occurred_at < ${to}
                 AND l.action = 'suppress' AND l.source = 'complaint'
               ORDER BY l.id, f.received_at) delays`),
    // Every other channel's effect: from the request's arrival (requested_at, where the writer knew
    // it) to the opt-out's row, written in that request's own transaction.
    db.$queryRaw<
      { source: string; matched: number; median_ms: number | null; max_ms: number | null }[]
    >(Prisma.sql`
      SELECT source, count(*)::int AS matched,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::float8 AS median_ms,
             max(ms)::float8 AS max_ms
        FROM (SELECT source::text AS source, extract(epoch FROM (occurred_at - requested_at)) * 1000 AS ms
                FROM consent_log
               WHERE occurred_at >= ${from} AND occurred_at < ${to} AND requested_at IS NOT NULL
                 AND (action = 'unsubscribe' OR (action = 'suppress' AND source IN ('complaint', 'admin')))
                 AND source::text = ANY(${sources}::text[])) delays
       GROUP BY source`),
  ]);
  const requested = new Map(requestDelays.map((row) => [CHANNEL_OF_SOURCE[row.source] ?? 'api', row]));

  const afterByChannel = new Map<OptOutChannel, number>();
  const breaches = new Map<string, OptOuts['breaches'][number]>();
  for (const hit of hits) {
    const channel = CHANNEL_OF_SOURCE[hit.source] ?? 'api';
    afterByChannel.set(channel, (afterByChannel.get(channel) ?? 0) + 1);
    let breach = breaches.get(hit.opt_id);
    if (!breach) {
      if (breaches.size >= BREACHES_SHOWN) continue;
      breach = {
        consentLogId: hit.opt_id,
        contactId: hit.contact_id,
        channel,
        category: hit.opt_category,
        occurredAt: hit.occurred_at.toISOString(),
        messages: [],
      };
      breaches.set(hit.opt_id, breach);
    }
    breach.messages.push({
      messageId: hit.message_id,
      category: hit.category_key,
      status: hit.status,
      sendStartedAt: hit.send_started_at.toISOString(),
    });
  }
  const delays = complaintDelays[0];
  const byChannel = counts
    .map((row) => ({ channel: CHANNEL_OF_SOURCE[row.source] ?? ('api' as const), optOuts: row.optouts }))
    .sort((a, b) => b.optOuts - a.optOuts || a.channel.localeCompare(b.channel))
    .map(({ channel, optOuts }) => ({
      channel,
      optOuts,
      effect:
        channel === 'complaint'
          ? {
              kind: 'measured' as const,
              matched: delays?.matched ?? 0,
              medianMs: roundMs(delays?.median_ms ?? null),
              maxMs: roundMs(delays?.max_ms ?? null),
            }
          : requested.has(channel)
            ? {
                kind: 'measured' as const,
                matched: requested.get(channel)!.matched,
                medianMs: roundMs(requested.get(channel)!.median_ms),
                maxMs: roundMs(requested.get(channel)!.max_ms),
              }
            : { kind: 'same-transaction' as const },
      messagesAfter: afterByChannel.get(channel) ?? 0,
    }));
  return {
    total: byChannel.reduce((sum, row) => sum + row.optOuts, 0),
    messagesAfter: hits.length,
    byChannel,
    breaches: [...breaches.values()],
  };
}

const roundMs = (value: number | null) => (value === null ? null : Math.round(value));
