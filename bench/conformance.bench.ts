/**
 * The conformance report over a month of mail: BENCH_CONFORMANCE_MESSAGES messages (1,000,000) to
 * BENCH_CONFORMANCE_CONTACTS contacts (100,000) across the seed categories, a tenth of them
 * promotional campaign mail, with one contact in fifty opting out mid-month (its later promotional
 * messages suppressed, as the worker does), complaints for one in a thousand campaign messages, and
 * required mail some of which bounced. Rows are written straight to the database (the sends are
 * not what is measured; each campaign takes a tenth of the month, so BENCH_CONFORMANCE_CONTACTS must be at
 * least a tenth of the messages). Measured: the report for that month, built as GET /v1/reports/conformance
 * builds it, best of BENCH_CONFORMANCE_RUNS (3) runs, cold first. Target on 2 cores: ≤ 10 s.
 */
import { createPrismaClient } from '@herald/db';
import { randomBytes } from 'node:crypto';
import { buildConformanceReport } from '../apps/api/src/conformance/build-conformance-report.js';
import { writeResult } from './lib/results.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/herald_bench';
const MESSAGES = Number(process.env.BENCH_CONFORMANCE_MESSAGES ?? 1_000_000);
const CONTACTS = Number(process.env.BENCH_CONFORMANCE_CONTACTS ?? 100_000);
const RUNS = Number(process.env.BENCH_CONFORMANCE_RUNS ?? 3);
const TARGET_SECONDS = 10;

// The report runs under the API's own statement timeout (the default); seeding writes a million rows a statement.
const db = createPrismaClient({ databaseUrl: DATABASE_URL, maxConnections: 8 });
const seedDb = createPrismaClient({
  databaseUrl: DATABASE_URL,
  maxConnections: 1,
  statementTimeoutMs: 900_000,
});
const log = (message: string) =>
  console.error(`[conformance ${new Date().toISOString().slice(11, 19)}] ${message}`);

const monthStart = new Date(Date.UTC(2026, 9, 1));
const monthEnd = new Date(Date.UTC(2026, 10, 1));
const run = randomBytes(4).toString('hex');

async function seed(): Promise<void> {
  const templates = await seedDb.template.findMany({
    where: { locale: null, key: { in: ['newsletter', 'service-notice', 'security-sign-in'] } },
    orderBy: { version: 'desc' },
    distinct: ['key'],
  });
  const id = (key: string) => templates.find((template) => template.key === key)?.id;
  const started = Date.now();
  await seedDb.$executeRawUnsafe(`
    INSERT INTO contacts (id, email, promotional_defaults, updated_at)
    SELECT gen_random_uuid(), 'conformance-${run}-' || i || '@example.test', true, now()
      FROM generate_series(1, ${CONTACTS}) AS i`);
  await seedDb.$executeRawUnsafe(`
    CREATE TEMP TABLE bench_contacts AS
    SELECT id, row_number() OVER (ORDER BY id) AS n FROM contacts WHERE email LIKE 'conformance-${run}-%'`);
  await seedDb.$executeRawUnsafe(`
    INSERT INTO campaigns (id, name, template_id, category_key, audience, status, fanout_started_at, completed_at, updated_at)
    SELECT gen_random_uuid(), 'Conformance bench ${run} ' || i, '${id('newsletter')}'::uuid, 'newsletter',
           '{"categories":["newsletter"]}', 'sent', '${monthStart.toISOString()}'::timestamptz + i * interval '1 day',
           '${monthStart.toISOString()}'::timestamptz + i * interval '1 day' + interval '2 hours', now()
      FROM generate_series(1, 10) AS i`);
  log(`contacts and campaigns in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // One message per i: every tenth a campaign newsletter, every fifth a sign-in (required), the
  // rest service notices; spread over the month.
  await seedDb.$executeRawUnsafe(`
    WITH campaign_ids AS (SELECT array_agg(id ORDER BY name) AS ids FROM campaigns WHERE name LIKE 'Conformance bench ${run} %')
    INSERT INTO messages (id, contact_id, template_id, category_key, class, status, reason, campaign_id,
                          send_started_at, sent_at, created_at, updated_at)
    SELECT gen_random_uuid(), c.id,
           CASE WHEN i % 10 = 0 THEN '${id('newsletter')}'::uuid WHEN i % 5 = 0 THEN '${id('security-sign-in')}'::uuid
                ELSE '${id('service-notice')}'::uuid END,
           CASE WHEN i % 10 = 0 THEN 'newsletter' WHEN i % 5 = 0 THEN 'security' ELSE 'service-notices' END,
           (CASE WHEN i % 10 = 0 THEN 'promotional' ELSE 'transactional' END)::"MessageClass",
           (CASE WHEN i % 5 = 0 AND i % 10 <> 0 AND i % 97 = 0 THEN 'suppressed' ELSE 'sent' END)::"MessageStatus",
           CASE WHEN i % 5 = 0 AND i % 10 <> 0 AND i % 97 = 0 THEN 'hard-bounce' END,
           CASE WHEN i % 10 = 0 THEN (SELECT ids[1 + ((i - 1) * 10) / ${MESSAGES}] FROM campaign_ids) END,
           at, at + interval '200 milliseconds', at - interval '1 second', at
      FROM generate_series(1, ${MESSAGES}) AS i
      JOIN bench_contacts c ON c.n = 1 + (i % ${CONTACTS})
     CROSS JOIN LATERAL (SELECT '${monthStart.toISOString()}'::timestamptz
                                + (i::float8 / ${MESSAGES}) * interval '30 days' AS at) t`);
  log(`${MESSAGES} messages in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // One contact in fifty opts out of all promotional mail mid-month; the worker then suppressed its
  // promotional messages, so none started after the opt-out.
  await seedDb.$executeRawUnsafe(`
    INSERT INTO consent_log (contact_id, category_key, action, source, occurred_at)
    SELECT id, NULL, 'unsubscribe', (ARRAY['one-click','unsubscribe-page','preference-center','account-page','mailto']::"ConsentSource"[])[1 + n % 5],
           '${monthStart.toISOString()}'::timestamptz + interval '15 days'
      FROM bench_contacts WHERE n % 50 = 0`);
  await seedDb.$executeRawUnsafe(`
    UPDATE messages m SET status = 'suppressed', reason = 'all-promotional-opt-out'
      FROM bench_contacts c
     WHERE m.contact_id = c.id AND c.n % 50 = 0 AND m.class = 'promotional'
       AND m.send_started_at > '${monthStart.toISOString()}'::timestamptz + interval '15 days'`);
  // Complaints for one campaign message in a thousand: the report, then the suppression it caused.
  await seedDb.$executeRawUnsafe(`
    WITH picked AS (
      SELECT id, contact_id, campaign_id, sent_at FROM messages
       WHERE campaign_id IS NOT NULL AND status = 'sent' AND contact_id IN (SELECT id FROM bench_contacts)
       ORDER BY id LIMIT ${Math.round(MESSAGES / 10_000)}),
    reports AS (
      INSERT INTO feedback_reports (id, received_at, channel, kind, message_id, campaign_id, contact_id, class, matched, effect)
      SELECT gen_random_uuid(), sent_at + interval '1 hour', 'inbound-smtp', 'complaint', id, campaign_id, contact_id,
             'promotional', true, 'suppressed' FROM picked)
    INSERT INTO consent_log (contact_id, category_key, action, source, occurred_at, message_id, campaign_id)
    SELECT contact_id, NULL, 'suppress', 'complaint', sent_at + interval '1 hour 150 milliseconds', id, campaign_id FROM picked`);
  await seedDb.$executeRawUnsafe(`
    UPDATE messages m SET status = 'suppressed', reason = 'complaint'
      FROM consent_log l
     WHERE l.source = 'complaint' AND m.contact_id = l.contact_id AND m.class = 'promotional'
       AND m.send_started_at > l.occurred_at`);
  await seedDb.$executeRawUnsafe('ANALYZE contacts, messages, consent_log, feedback_reports, campaigns');
  log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

log(`seeding ${MESSAGES} messages to ${CONTACTS} contacts`);
await seed();
const timings: number[] = [];
let report: Awaited<ReturnType<typeof buildConformanceReport>> | null = null;
for (let i = 0; i < RUNS; i++) {
  const started = performance.now();
  report = await buildConformanceReport(db, {
    from: monthStart,
    to: monthEnd,
    limits: { complaintRate: 0.003, bounceRate: 0.05, guardrailMinSent: 1000 },
    atRiskDays: 7,
  });
  timings.push((performance.now() - started) / 1000);
  log(`report ${i + 1}: ${timings.at(-1)?.toFixed(2)} s`);
}
const best = Math.min(...timings);
writeResult('conformance', {
  messages: MESSAGES,
  contacts: CONTACTS,
  seconds: {
    first: Number(timings[0]?.toFixed(2)),
    best: Number(best.toFixed(2)),
    runs: timings.map((t) => Number(t.toFixed(2))),
  },
  target: { seconds: TARGET_SECONDS, met: best <= TARGET_SECONDS },
  report: {
    optOuts: report?.optOuts.total,
    // The seed suppresses every promotional message after an opt-out, as the worker does: 0.
    messagesAfter: report?.optOuts.messagesAfter,
    requiredCreated: report?.requiredMail.created,
    requiredUndeliverable: report?.requiredMail.undeliverable,
    campaigns: report?.campaigns.length,
  },
});
await db.$disconnect();
await seedDb.$disconnect();
