/**
 * Issue 10's guardrail benchmark, through the built API and worker processes: a newsletter campaign
 * to BENCH_FEEDBACK_CONTACTS (100,000) contacts, unthrottled, to an SMTP sink that accepts every
 * message. As the sink receives them, this process plays the receiving side: for 2% of the
 * recipients (every 50th contact) it mails a 5.1.1 delivery status notification to the message's
 * VERP address (bounce+{token}@MAIL_DOMAIN), for 0.5% (every 200th, others) an ARF abuse report to
 * the feedback-loop address, both to the worker's inbound SMTP listener, as mailbox providers do.
 * With the defaults (MIN_SENT 1,000, complaints 0.3%, hard bounces 5%) the complaints trip the
 * guardrail and the campaign pauses itself.
 *
 * Reported: that every address reported was suppressed (hard_bounce or complaint, counted in the
 * database) and its message marked; the campaign's counters; its pausedReason; and how many messages
 * reached the sink after the threshold was crossed (target < 2,000). The crossing is taken from what
 * the sink received, in order of receipt: the first message at which at least MIN_SENT had been
 * received and the complaints (or hard bounces) among them were over the limit. So the figure holds
 * the whole loop: the report's trip back, the listener's parse and consent write, the guardrail's
 * check, the pause reaching the workers, and the sends already in SMTP.
 * Options: BENCH_FEEDBACK_CONTACTS (100000), BENCH_FEEDBACK_WORKERS (2), BENCH_REPORT_CONNECTIONS (4).
 */
import { createPrismaClient, Prisma } from '@herald/db';
import {
  hashAddress,
  parseSigningKeys,
  signBounceToken,
  useAddressHashKey,
  type SigningKey,
} from '@herald/preferences';
import {
  buildDeliveryStatusReport,
  buildFeedbackReport,
  freePort,
  startHerald,
  startNodeProcess,
  workerNodeArgs,
} from '@herald/test-support';
import nodemailer from 'nodemailer';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { writeResult } from './lib/results.js';
import { runWithHerald } from './lib/run-with-herald.js';
import { startSmtpSink } from './lib/start-smtp-sink.js';
import { round, summarize } from './lib/stats.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/herald_bench';
const CONTACTS = Number(process.env.BENCH_FEEDBACK_CONTACTS ?? 100_000);
const WORKERS = Number(process.env.BENCH_FEEDBACK_WORKERS ?? 2);
const REPORT_CONNECTIONS = Number(process.env.BENCH_REPORT_CONNECTIONS ?? 4);
const BOUNCE_EVERY = 50; // 2%
const COMPLAINT_EVERY = 200; // 0.5%
const GUARDRAILS = { minSent: 1000, maxComplaintRate: 0.003, maxBounceRate: 0.05 };
const TARGET = { sentAfterThreshold: 2000 };
const MAIL_DOMAIN = 'mail.bench.example';
const FBL = `fbl@${MAIL_DOMAIN}`;
const NEWSLETTER = {
  headline: 'What we shipped in November',
  intro: 'Three releases this month: faster search, shared templates and a calmer inbox.',
  articles: [
    { title: 'Search is three times faster', summary: 'Results as you type.', url: 'https://example.com/a' },
  ],
};

const db = createPrismaClient({ databaseUrl: DATABASE_URL, maxConnections: 2 });
const run = randomBytes(3).toString('hex');
const log = (message: string) =>
  console.error(`[campaign-feedback ${new Date().toISOString().slice(11, 19)}] ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Kind = 'hard-bounce' | 'complaint';
/** What the receiving side does with the message to contact number `g`. */
const verdict = (g: number): Kind | null =>
  g % BOUNCE_EVERY === 0 ? 'hard-bounce' : g % COMPLAINT_EVERY === 1 ? 'complaint' : null;
const contactNumber = (email: string) => Number(/-(\d+)@/.exec(email)?.[1] ?? NaN);

async function seedContacts(count: number): Promise<void> {
  for (let done = 0; done < count; done += 100_000) {
    const n = Math.min(100_000, count - done);
    await db.$executeRaw(Prisma.sql`
      INSERT INTO contacts (id, email, name, attributes, updated_at)
      SELECT herald_uuid7(), 'cf-' || ${run} || '-' || g || '@example.test', 'Reader ' || g,
             jsonb_build_object('bench', ${run}::text), now()
        FROM generate_series(${done + 1}::int, ${done + n}::int) AS g`);
  }
  await db.$executeRaw`ANALYZE contacts`;
}

/** Resolves once something accepts TCP connections on the port (the worker's inbound listener). */
async function waitForPort(port: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port}`);
    await sleep(200);
  }
}

/** The message as the receiving server got it, as reports return it (headers and a short body). */
function returned(messageId: string, email: string, bounceAddress: string): string {
  return [
    `Return-Path: <${bounceAddress}>`,
    `From: Herald <news@${MAIL_DOMAIN}>`,
    `To: ${email}`,
    `Subject: ${NEWSLETTER.headline}`,
    `Message-ID: <${messageId}@${MAIL_DOMAIN}>`,
    `X-Herald-Message-Id: ${messageId}`,
    'X-Herald-Class: promotional',
    'X-Herald-Category: newsletter',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `${NEWSLETTER.intro}\r\n`,
  ].join('\r\n');
}

function reportFor(kind: Kind, messageId: string, email: string, keys: SigningKey[]) {
  const bounceAddress = `bounce+${signBounceToken({ messageId }, keys)}@${MAIL_DOMAIN}`;
  if (kind === 'hard-bounce') {
    const raw = buildDeliveryStatusReport({
      to: bounceAddress,
      recipients: [
        {
          finalRecipient: email,
          action: 'failed',
          status: '5.1.1',
          diagnosticCode: `smtp; 550 5.1.1 <${email}>: Recipient address rejected: User unknown`,
        },
      ],
      returned: returned(messageId, email, bounceAddress),
    });
    return { to: bounceAddress, raw };
  }
  const raw = buildFeedbackReport({
    to: FBL,
    originalMailFrom: bounceAddress,
    originalRcptTo: email,
    returned: returned(messageId, email, bounceAddress),
  });
  return { to: FBL, raw };
}

const sink = await startSmtpSink();
const inboundPort = await freePort();
log(`seeding ${CONTACTS} contacts`);
await seedContacts(CONTACTS);
const env = {
  DATABASE_URL,
  SMTP_URL: sink.smtpUrl,
  MAIL_DOMAIN,
  SMTP_POOL_SIZE: '5',
  HERALD_GUARDRAIL_MIN_SENT: String(GUARDRAILS.minSent),
  HERALD_CAMPAIGN_MAX_COMPLAINT_RATE: String(GUARDRAILS.maxComplaintRate),
  HERALD_CAMPAIGN_MAX_BOUNCE_RATE: String(GUARDRAILS.maxBounceRate),
};
const herald = await startHerald({
  workers: Math.max(0, WORKERS - 1),
  env,
  workerNodeArgs: workerNodeArgs(),
});
// The suppressions this process looks up are keyed as the built processes key them.
useAddressHashKey(herald.env.HERALD_ADDRESS_HASH_KEY ?? '');
// One worker runs the inbound listener (a port can have one listener); it sends campaign mail too.
herald.workers.push(
  startNodeProcess(
    'apps/api/dist/worker.js',
    {
      PUBLIC_API_URL: herald.apiUrl,
      ...herald.env,
      INBOUND_SMTP_PORT: String(inboundPort),
      INBOUND_SMTP_HOST: '127.0.0.1',
    },
    { nodeArgs: workerNodeArgs() },
  ),
);

interface CampaignView {
  status: string;
  pausedAt: string | null;
  pausedReason: string | null;
  counts: { targeted: number; sent: number; bounced: number; complained: number; queued: number };
  guardrails: { sent: number; complaints: number; hardBounces: number; complaintRate: number | null };
}

try {
  await runWithHerald(herald, sink, async () => {
    await waitForPort(inboundPort);
    const keys = parseSigningKeys(herald.env.HERALD_SECRET ?? '');
    const reporter = nodemailer.createTransport({
      host: '127.0.0.1',
      port: inboundPort,
      ignoreTLS: true,
      pool: true,
      maxConnections: REPORT_CONNECTIONS,
      maxMessages: Infinity,
    });

    const createdAt = Date.now();
    const created = await herald.client.call('POST', '/v1/campaigns', {
      name: `feedback bench ${run}`,
      template: 'newsletter',
      data: NEWSLETTER,
      audience: { categories: ['newsletter'], attributes: { bench: run } },
      sendAt: new Date().toISOString(),
    });
    if (created.status !== 201) throw new Error(`campaign not created: ${JSON.stringify(created.body)}`);
    const id = created.body.id as string;
    log(`campaign ${id} to ${CONTACTS} contacts`);

    // The receiving side: each new receipt is looked up (message → recipient) and, when its contact
    // is one of the 2% or 0.5%, answered with a report, as soon as possible.
    const seen = new Set<string>();
    const reported: { kind: Kind; messageId: string; email: string; latencyMs: number }[] = [];
    const verdicts = new Map<string, Kind | null>();
    const inFlight = new Set<Promise<void>>();
    let reportErrors = 0;
    let receiving = true;
    const loop = (async () => {
      while (receiving) {
        const fresh = [...sink.received.keys()].filter((messageId) => !seen.has(messageId));
        if (fresh.length > 0) {
          for (const messageId of fresh) seen.add(messageId);
          const rows = await db.$queryRaw<{ id: string; email: string }[]>(Prisma.sql`
            SELECT m.id::text, c.email FROM messages m JOIN contacts c ON c.id = m.contact_id
             WHERE m.id = ANY(${fresh}::uuid[])`);
          for (const row of rows) {
            const kind = verdict(contactNumber(row.email));
            verdicts.set(row.id, kind);
            if (!kind) continue;
            const { to, raw } = reportFor(kind, row.id, row.email, keys);
            const receivedAt = sink.receivedAt.get(row.id) ?? Date.now();
            const sending: Promise<void> = reporter
              .sendMail({ envelope: { from: '', to: [to] }, raw })
              .then(() => {
                reported.push({
                  kind,
                  messageId: row.id,
                  email: row.email,
                  latencyMs: Date.now() - receivedAt,
                });
              })
              .catch((error: Error) => {
                reportErrors++;
                log(`report refused: ${error.message}`);
              })
              .finally(() => inFlight.delete(sending));
            inFlight.add(sending);
          }
        }
        await sleep(20);
      }
    })();

    const view = async () => (await herald.client.call('GET', `/v1/campaigns/${id}`)).body as CampaignView;
    let campaign = await view();
    const started = Date.now();
    while (campaign.status !== 'paused') {
      if (campaign.status === 'sent' || campaign.status === 'cancelled')
        throw new Error(`the campaign never paused itself: ${JSON.stringify(campaign)}`);
      if (Date.now() - started > 600_000)
        throw new Error(`not paused after 10 minutes: ${JSON.stringify(campaign)}`);
      await sleep(100);
      campaign = await view();
    }
    log(`paused itself (${campaign.pausedReason}) after ${sink.received.size} messages reached the sink`);

    // Let the sends already in SMTP end and every report of what was received go out and be applied.
    let quiet = 0;
    let last = sink.received.size;
    while (quiet < 20) {
      await sleep(100);
      quiet = sink.received.size === last && inFlight.size === 0 ? quiet + 1 : 0;
      last = sink.received.size;
    }
    receiving = false;
    await loop;
    await Promise.all([...inFlight]);
    reporter.close();
    campaign = await view();

    // Where the threshold was crossed, from what the sink received, in order.
    const receipts = [...sink.receivedAt.entries()]
      .filter(([messageId]) => verdicts.has(messageId))
      .sort((a, b) => a[1] - b[1]);
    let left = 0;
    let complaints = 0;
    let bounces = 0;
    let crossedAt: { left: number; at: number; complaints: number; bounces: number } | null = null;
    for (const [messageId, at] of receipts) {
      left++;
      const kind = verdicts.get(messageId);
      if (kind === 'complaint') complaints++;
      if (kind === 'hard-bounce') bounces++;
      const over =
        complaints > left * GUARDRAILS.maxComplaintRate || bounces > left * GUARDRAILS.maxBounceRate;
      if (!crossedAt && left >= GUARDRAILS.minSent && over) crossedAt = { left, at, complaints, bounces };
    }
    if (!crossedAt) throw new Error('the threshold was never crossed by what the sink received');
    const sentAfterThreshold = receipts.length - crossedAt.left;
    const firstAt = receipts[0]?.[1] ?? NaN;
    const lastAt = receipts.at(-1)?.[1] ?? NaN;

    // Every address reported, suppressed for its reason; every reported message marked.
    const suppressed = async (kind: Kind) => {
      const hashes = reported.filter((r) => r.kind === kind).map((r) => hashAddress(r.email));
      const rows = await db.$queryRaw<{ reason: string; n: number }[]>(Prisma.sql`
        SELECT reason::text, count(DISTINCT address_hash)::int AS n FROM suppressions
         WHERE address_hash = ANY(${hashes}::text[]) GROUP BY 1`);
      return Object.fromEntries(rows.map((row) => [row.reason, row.n]));
    };
    const bounced = reported.filter((r) => r.kind === 'hard-bounce');
    const complained = reported.filter((r) => r.kind === 'complaint');
    const [bounceSuppressions, complaintSuppressions, [stored]] = await Promise.all([
      suppressed('hard-bounce'),
      suppressed('complaint'),
      db.$queryRaw<{ bounced: number; hard_bounces: number; complaints: number }[]>(Prisma.sql`
        SELECT (SELECT count(*)::int FROM messages WHERE id = ANY(${bounced.map((r) => r.messageId)}::uuid[])
                  AND status = 'bounced') AS bounced,
               hard_bounces, complaints
          FROM campaigns WHERE id = ${id}::uuid`),
    ]);
    const everyBounceSuppressed =
      Object.values(bounceSuppressions).reduce((a, b) => a + b, 0) === bounced.length;
    const everyComplaintSuppressed =
      Object.values(complaintSuppressions).reduce((a, b) => a + b, 0) === complained.length;
    const pausedAt = Date.parse(campaign.pausedAt ?? '');

    writeResult('campaign-feedback', {
      command:
        'npm run bench (bench/campaign-feedback.bench.ts); BENCH_ONLY=campaign-feedback npm run bench for this one',
      setup: {
        contacts: CONTACTS,
        workers: WORKERS,
        reportConnections: REPORT_CONNECTIONS,
        hardBounces: `every ${BOUNCE_EVERY}th contact (2%), a 5.1.1 DSN to the VERP address`,
        complaints: `every ${COMPLAINT_EVERY}th contact (0.5%), an ARF abuse report to ${FBL}`,
        guardrails: GUARDRAILS,
      },
      campaign: {
        status: campaign.status,
        pausedReason: campaign.pausedReason,
        reachedSink: receipts.length,
        secondsFromCreatedToFirstMessage: round((firstAt - createdAt) / 1000, 2),
        messagesPerSecond: round(receipts.length / ((lastAt - firstAt) / 1000)),
        counts: campaign.counts,
        guardrails: campaign.guardrails,
      },
      threshold: {
        crossedAtMessage: crossedAt.left,
        complaintsThen: crossedAt.complaints,
        hardBouncesThen: crossedAt.bounces,
        sentAfterThreshold,
        secondsFromCrossingToPause: round((pausedAt - crossedAt.at) / 1000, 2),
        // At the rate it was sending, the report loop's latency in messages.
        messagesPerSecondThen: round(
          receipts.filter(([, at]) => at > crossedAt.at - 5000 && at <= crossedAt.at).length / 5,
        ),
      },
      reports: {
        hardBounces: bounced.length,
        complaints: complained.length,
        refused: reportErrors,
        latencyMsFromReceiptToApplied: summarize(reported.map((r) => r.latencyMs)),
      },
      suppressed: {
        hardBounce: bounceSuppressions,
        complaint: complaintSuppressions,
        everyBounceSuppressed,
        everyComplaintSuppressed,
        bouncedMessages: stored?.bounced,
      },
      counters: { hardBounces: stored?.hard_bounces, complaints: stored?.complaints },
      target: TARGET,
      meetsTarget:
        campaign.status === 'paused' &&
        campaign.pausedReason === 'complaint-rate' &&
        sentAfterThreshold < TARGET.sentAfterThreshold &&
        everyBounceSuppressed &&
        everyComplaintSuppressed &&
        stored?.bounced === bounced.length &&
        stored?.hard_bounces === bounced.length &&
        stored?.complaints === complained.length &&
        reportErrors === 0,
    });
    // What it did not send stays queued for a resume; the benchmark cancels it.
    await herald.client.call('POST', `/v1/campaigns/${id}/cancel`);
  });
} finally {
  await db.$disconnect();
}
