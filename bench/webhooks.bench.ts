/**
 * Issue 10's webhook benchmark: provider events per second through `POST /hooks/sendgrid` on the
 * built API process (`apps/api/dist/main.js`), consent write included. The load is SendGrid's: JSON
 * arrays of BENCH_WEBHOOK_BATCH events per POST, each batch signed with ECDSA P-256 over timestamp +
 * body as SendGrid signs, BENCH_WEBHOOK_CONCURRENCY POSTs in flight at once (closed loop, as
 * SendGrid's senders wait for each answer). Every event is a hard bounce or a complaint (2:1) for a
 * message of its own that was sent to a contact of its own, all in one sending campaign, so every
 * event writes: the kept report, the suppression, its consent-log row, the message event, the
 * campaign's counters (and, for bounces, the message's status), and the campaign guardrail check.
 * Messages and contacts are inserted directly (sending them is the delivery benchmark's business).
 * A warm-up of BENCH_WEBHOOK_WARM_UP events first. Target on 2 cores: 2,000 events/s.
 * Besides the wall-clock rate, the CPU time the API process and the database's backends spent on the
 * measured events (from /proc, when PostgreSQL runs on this machine): events/s on two otherwise idle
 * cores cannot exceed 2 s of CPU per second over the CPU time per event, whatever else shares the
 * machine while the benchmark runs.
 * Options: BENCH_WEBHOOK_EVENTS (20000), BENCH_WEBHOOK_BATCH (100), BENCH_WEBHOOK_CONCURRENCY (4),
 * BENCH_WEBHOOK_WARM_UP (2000).
 */
import { createPrismaClient } from '@herald/db';
import { hashAddress, useAddressHashKey } from '@herald/preferences';
import { startHerald } from '@herald/test-support';
import { generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { writeResult } from './lib/results.js';
import { round, summarize } from './lib/stats.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/herald_bench';
const EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 20_000);
const BATCH = Number(process.env.BENCH_WEBHOOK_BATCH ?? 100);
const CONCURRENCY = Number(process.env.BENCH_WEBHOOK_CONCURRENCY ?? 4);
const WARM_UP = Number(process.env.BENCH_WEBHOOK_WARM_UP ?? 2000);
const TARGET = { eventsPerSecond: 2000 };
const MAIL_DOMAIN = 'bench.example.test';

const db = createPrismaClient({ databaseUrl: DATABASE_URL });
const log = (message: string) =>
  console.error(`[webhooks ${new Date().toISOString().slice(11, 19)}] ${message}`);

interface Sent {
  id: string;
  contactId: string;
  email: string;
}

/** `count` sent newsletter messages of one sending campaign, each to a contact of its own. */
async function prepareMessages(run: string, count: number): Promise<{ campaignId: string; sent: Sent[] }> {
  const template = await db.template.findFirstOrThrow({
    where: { key: 'newsletter', locale: null },
    orderBy: { version: 'desc' },
  });
  const campaignId = randomUUID();
  await db.$executeRaw`
    INSERT INTO campaigns (id, name, template_id, category_key, audience, status, targeted, updated_at)
    VALUES (${campaignId}::uuid, ${`webhooks bench ${run}`}, ${template.id}::uuid, ${template.categoryKey},
            '{"categories":["newsletter"]}'::jsonb, 'sending', ${count}, now())`;
  await db.$executeRaw`
    INSERT INTO contacts (id, email, updated_at)
    SELECT gen_random_uuid(), ${`wh-${run}-`} || i || ${`@example.test`}, now()
      FROM generate_series(1, ${count}::int) AS i`;
  await db.$executeRaw`
    INSERT INTO messages (id, contact_id, template_id, category_key, class, status, campaign_id, attempts,
                          sent_at, updated_at)
    SELECT gen_random_uuid(), c.id, ${template.id}::uuid, ${template.categoryKey}, 'promotional', 'sent',
           ${campaignId}::uuid, 1, now(), now()
      FROM contacts c
     WHERE c.email LIKE ${`wh-${run}-%`}`;
  // A database in service has statistics of its tables; without them the planner scans every
  // contact to match a batch, which no deployment would see.
  await db.$executeRaw`ANALYZE contacts, messages, campaigns`;
  const rows = await db.$queryRaw<Sent[]>`
    SELECT m.id::text AS id, c.id::text AS "contactId", c.email
      FROM messages m JOIN contacts c ON c.id = m.contact_id
     WHERE m.campaign_id = ${campaignId}::uuid`;
  return { campaignId, sent: rows };
}

/** SendGrid's events for these messages: two hard bounces to every complaint. */
function events(sent: Sent[]) {
  return sent.map((message, i) => ({
    email: message.email,
    timestamp: Math.floor(Date.now() / 1000),
    'smtp-id': `<${message.id}@${MAIL_DOMAIN}>`,
    sg_event_id: randomBytes(16).toString('base64url'),
    sg_message_id: `${randomBytes(10).toString('hex')}.filterdrecv-0`,
    category: 'newsletter',
    ...(i % 3 === 2
      ? { event: 'spamreport' }
      : {
          event: 'bounce',
          type: 'bounce',
          status: '5.1.1',
          reason: '550 5.1.1 The email account that you tried to reach does not exist.',
        }),
  }));
}

/** Posts every batch, CONCURRENCY at a time; the latency of each POST and the answers. */
async function post(url: URL, batches: object[][], privateKey: Parameters<typeof sign>[2]) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let applied = 0;
  let next = 0;
  const one = (batch: object[]) =>
    new Promise<void>((resolve, reject) => {
      const body = Buffer.from(JSON.stringify(batch));
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = sign('sha256', Buffer.concat([Buffer.from(timestamp), body]), privateKey).toString(
        'base64',
      );
      const started = performance.now();
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: '/hooks/sendgrid',
          headers: {
            'content-type': 'application/json',
            'content-length': body.length,
            'user-agent': 'SendGrid Event API',
            'X-Twilio-Email-Event-Webhook-Signature': signature,
            'X-Twilio-Email-Event-Webhook-Timestamp': timestamp,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.once('end', () => {
            latencies.push(performance.now() - started);
            const status = response.statusCode ?? 0;
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            if (status === 200) applied += JSON.parse(Buffer.concat(chunks).toString()).applied as number;
            resolve();
          });
        },
      );
      req.once('error', reject);
      req.end(body);
    });
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < batches.length) await one(batches[next++] as object[]);
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return { seconds, latencies, statuses: Object.fromEntries(statuses), applied };
}

/** CPU seconds (user + system) a process has used, from /proc/{pid}/stat; 0 when it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** The CPU seconds of every PostgreSQL backend serving `database` on this machine, by pid. */
function databaseBackends(database: string): Map<number, number> {
  const backends = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (title.startsWith('postgres: ') && title.includes(` ${database} `))
        backends.set(Number(entry), cpuSeconds(Number(entry)));
    } catch {
      // gone meanwhile
    }
  }
  return backends;
}

const chunk = <T>(items: T[], size: number) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const herald = await startHerald({
  workers: 0,
  env: {
    DATABASE_URL,
    MAIL_DOMAIN,
    HERALD_SENDGRID_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  },
});
// The suppressions this process looks up are keyed as the built processes key them.
useAddressHashKey(herald.env.HERALD_ADDRESS_HASH_KEY ?? '');
try {
  const run = randomBytes(3).toString('hex');
  log(`inserting ${WARM_UP + EVENTS} sent messages, each to a contact of its own …`);
  const { campaignId, sent } = await prepareMessages(run, WARM_UP + EVENTS);
  const url = new URL(herald.apiUrl);
  log(`warming up with ${WARM_UP} events …`);
  await post(url, chunk(events(sent.slice(EVENTS)), BATCH), privateKey);

  const measured = sent.slice(0, EVENTS);
  const apiPid = herald.apis[0]?.child.pid ?? 0;
  const database = new URL(DATABASE_URL).pathname.slice(1);
  const apiCpuBefore = cpuSeconds(apiPid);
  const backendsBefore = databaseBackends(database);
  log(`${EVENTS} events, ${BATCH} per POST, ${CONCURRENCY} POSTs at once …`);
  const { seconds, latencies, statuses, applied } = await post(
    url,
    chunk(events(measured), BATCH),
    privateKey,
  );
  const apiCpu = cpuSeconds(apiPid) - apiCpuBefore;
  let databaseCpu = 0;
  for (const [pid, after] of databaseBackends(database))
    databaseCpu += after - (backendsBefore.get(pid) ?? 0);
  const cpuMsPerEvent = ((apiCpu + databaseCpu) * 1000) / EVENTS;
  const hashes = measured.map((message) => hashAddress(message.email));
  const [suppressed, consentRows, reports] = await Promise.all([
    db.suppression.count({ where: { addressHash: { in: hashes } } }),
    db.consentLogEntry.count({
      where: { contactId: { in: measured.map((m) => m.contactId) }, action: 'suppress' },
    }),
    db.feedbackReport.count({ where: { messageId: { in: measured.map((m) => m.id) } } }),
  ]);
  const campaign = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
  const eventsPerSecond = round(EVENTS / seconds);
  writeResult('webhooks', {
    command: 'npm run bench (bench/webhooks.bench.ts); BENCH_ONLY=webhooks npm run bench for this one',
    route: 'POST /hooks/sendgrid (built API process, node apps/api/dist/main.js), signed ECDSA batches',
    loadGenerator: `closed loop, node:http keep-alive, ${CONCURRENCY} POSTs in flight, same machine`,
    events: EVENTS,
    eventsPerPost: BATCH,
    concurrentPosts: CONCURRENCY,
    mix: 'two hard bounces to each complaint, every event for a message and contact of its own, one campaign',
    seconds: round(seconds, 2),
    eventsPerSecond,
    cpu: {
      apiProcessSeconds: round(apiCpu, 2),
      databaseBackendsSeconds: round(databaseCpu, 2),
      msPerEvent: round(cpuMsPerEvent, 3),
      // Two cores' worth of CPU over the CPU one event takes: the rate with the machine to itself.
      eventsPerSecondOnTwoIdleCores: databaseCpu > 0 ? round(2000 / cpuMsPerEvent) : null,
      loadAverage1m: round(loadavg()[0] ?? 0, 2),
    },
    postLatencyMs: summarize(latencies),
    answers: statuses,
    applied,
    // Every event suppressed its address and logged it in the same transaction.
    suppressionsWritten: suppressed,
    consentLogRowsWritten: consentRows,
    reportsKept: reports,
    campaign: {
      hardBounces: campaign.hardBounces,
      complaints: campaign.complaints,
      status: campaign.status,
      pausedReason: campaign.pausedReason,
    },
    target: TARGET,
    meetsTarget: eventsPerSecond >= TARGET.eventsPerSecond && suppressed === EVENTS && consentRows === EVENTS,
  });
} finally {
  await herald.stop();
  await db.$disconnect();
}
