/**
 * Issue 10's report benchmark: delivery status notifications (RFC 3464) through the built worker's
 * inbound SMTP listener, each parsed with mailparser, matched by its VERP address and applied with
 * its consent write (suppression, consent-log row, message `bounced`, event) before the listener
 * answers DATA. BENCH_REPORTS reports for as many sent messages (rows written straight to the
 * database: the send is not what is measured), nine in ten a hard bounce (5.1.1), one in ten a
 * delay (4.2.2); each returns the message's headers and body (about 6 KB in all), as MTAs do. They
 * are sent from this process over BENCH_REPORT_CONNECTIONS SMTP connections, as a relay's bounce
 * storm arrives. Reports per second from the first MAIL FROM to the last DATA reply. Target on
 * 2 cores: 500 reports/s.
 * Options: BENCH_REPORTS (5000), BENCH_REPORT_CONNECTIONS (32).
 */
import { createPrismaClient } from '@herald/db';
import { parseSigningKeys, signBounceToken, type SigningKey } from '@herald/preferences';
import { buildDeliveryStatusReport, freePort, startHerald } from '@herald/test-support';
import nodemailer from 'nodemailer';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { writeResult } from './lib/results.js';
import { runWithHerald } from './lib/run-with-herald.js';
import { startSmtpSink } from './lib/start-smtp-sink.js';
import { round, summarize } from './lib/stats.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/herald_bench';
const REPORTS = Number(process.env.BENCH_REPORTS ?? 5000);
const CONNECTIONS = Number(process.env.BENCH_REPORT_CONNECTIONS ?? 32);
const WARM_UP = 200;
const TARGET = { reportsPerSecond: 500 };
const MAIL_DOMAIN = 'mail.bench.example';

const db = createPrismaClient({ databaseUrl: DATABASE_URL });
const log = (message: string) =>
  console.error(`[inbound-reports ${new Date().toISOString().slice(11, 19)}] ${message}`);

interface Sent {
  messageId: string;
  email: string;
}

/** CPU time a process has used, all its threads, from /proc (Linux; clock ticks of 10 ms). */
function cpuMs(pid: number | undefined): number {
  return ticksMs(`/proc/${pid}/stat`);
}

/** CPU time of a process's main thread alone (its thread id is its pid). */
function mainThreadCpuMs(pid: number | undefined): number {
  return ticksMs(`/proc/${pid}/task/${pid}/stat`);
}

function ticksMs(statFile: string): number {
  const fields = readFileSync(statFile, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time of the PostgreSQL backends serving this database (the worker's pool), by backend pid. */
async function postgresCpuMs(): Promise<Map<number, number>> {
  const backends = await db.$queryRaw<{ pid: number }[]>`
    SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
  const cpu = new Map<number, number>();
  for (const { pid } of backends) {
    try {
      cpu.set(pid, cpuMs(pid));
    } catch {
      // Ended meanwhile.
    }
  }
  return cpu;
}

/** `count` contacts, each with one `sent` service notice. */
async function seedSentMessages(count: number): Promise<Sent[]> {
  const run = randomBytes(4).toString('hex');
  const template = await db.template.findFirstOrThrow({
    where: { key: 'service-notice', locale: null },
    orderBy: { version: 'desc' },
  });
  const emails = Array.from({ length: count }, (_, i) => `inbound-${run}-${i}@example.test`);
  await db.contact.createMany({ data: emails.map((email) => ({ email })) });
  const contacts = await db.contact.findMany({
    where: { email: { startsWith: `inbound-${run}-` } },
    select: { id: true, email: true },
  });
  const sent = contacts.map((contact) => ({
    messageId: randomUUID(),
    email: contact.email as string,
    contactId: contact.id,
  }));
  await db.message.createMany({
    data: sent.map(({ messageId, contactId }) => ({
      id: messageId,
      contactId,
      templateId: template.id,
      categoryKey: template.categoryKey,
      class: 'transactional',
      status: 'sent',
      sentAt: new Date(),
    })),
  });
  return sent.map(({ messageId, email }) => ({ messageId, email }));
}

/** The message as Herald sent it, returned in the report: headers and a plain and an HTML part. */
function returnedMessage({ messageId, email }: Sent): string {
  const paragraph = 'You sent 1,204 messages this week; the full report is in your dashboard. ';
  return [
    `From: Herald <noreply@${MAIL_DOMAIN}>`,
    `To: ${email}`,
    'Subject: Your weekly usage report is ready',
    `Message-ID: <${messageId}@${MAIL_DOMAIN}>`,
    `X-Herald-Message-Id: ${messageId}`,
    'X-Herald-Class: transactional',
    'X-Herald-Category: service-notices',
    'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary="alt"',
    '',
    '--alt',
    'Content-Type: text/plain; charset=utf-8',
    '',
    paragraph.repeat(20),
    '--alt',
    'Content-Type: text/html; charset=utf-8',
    '',
    `<html><body><table><tr><td><p>${paragraph.repeat(40)}</p></td></tr></table></body></html>`,
    '--alt--',
    '',
  ].join('\r\n');
}

function dsnFor(sent: Sent, index: number, keys: SigningKey[]) {
  const to = `bounce+${signBounceToken({ messageId: sent.messageId }, keys)}@${MAIL_DOMAIN}`;
  const hard = index % 10 !== 9;
  const raw = buildDeliveryStatusReport({
    to,
    recipients: [
      hard
        ? {
            finalRecipient: sent.email,
            action: 'failed',
            status: '5.1.1',
            diagnosticCode: `smtp; 550 5.1.1 <${sent.email}>: Recipient address rejected: User unknown`,
          }
        : {
            finalRecipient: sent.email,
            action: 'delayed',
            status: '4.2.2',
            diagnosticCode: 'smtp; 452 4.2.2 Mailbox full',
          },
    ],
    returned: returnedMessage(sent),
  });
  return { to, raw, hard };
}

/** Sends the reports over `connections` SMTP connections from the null sender; each one's latency. */
async function sendReports(port: number, reports: { to: string; raw: string }[], connections: number) {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    ignoreTLS: true,
    pool: true,
    maxConnections: connections,
    maxMessages: Infinity,
  });
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  try {
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < reports.length) {
          const report = reports[next++] as { to: string; raw: string };
          const sentAt = performance.now();
          const info = await transport.sendMail({ envelope: { from: '', to: [report.to] }, raw: report.raw });
          if (info.accepted.length !== 1) throw new Error(`report refused: ${info.response}`);
          latencies.push(performance.now() - sentAt);
        }
      }),
    );
  } finally {
    transport.close();
  }
  return { seconds: (performance.now() - start) / 1000, latencies };
}

const sink = await startSmtpSink();
const inboundPort = await freePort();
const herald = await startHerald({
  env: {
    DATABASE_URL,
    SMTP_URL: sink.smtpUrl,
    MAIL_DOMAIN,
    INBOUND_SMTP_PORT: String(inboundPort),
    INBOUND_SMTP_HOST: '127.0.0.1',
  },
});

try {
  await runWithHerald(herald, sink, async () => {
    const keys = parseSigningKeys(herald.env.HERALD_SECRET ?? '');
    log(`seeding ${REPORTS + WARM_UP} sent messages …`);
    const sent = await seedSentMessages(REPORTS + WARM_UP);
    const reports = sent.map((message, index) => dsnFor(message, index, keys));
    const warmUp = reports.slice(REPORTS);
    const measured = reports.slice(0, REPORTS);
    log(`warming up with ${warmUp.length} reports …`);
    await sendReports(inboundPort, warmUp, CONNECTIONS);

    log(`${REPORTS} DSNs over ${CONNECTIONS} connections …`);
    const workerPid = herald.workers[0]?.child.pid;
    const postgresBefore = await postgresCpuMs();
    const [workerCpuBefore, mainThreadCpuBefore, senderCpuBefore, loadBefore] = [
      cpuMs(workerPid),
      mainThreadCpuMs(workerPid),
      process.cpuUsage(),
      loadavg()[0],
    ];
    const { seconds, latencies } = await sendReports(inboundPort, measured, CONNECTIONS);
    const workerCpu = cpuMs(workerPid) - workerCpuBefore;
    const mainThreadCpu = mainThreadCpuMs(workerPid) - mainThreadCpuBefore;
    const senderCpu = process.cpuUsage(senderCpuBefore);
    let postgresCpu = 0;
    for (const [pid, after] of await postgresCpuMs()) postgresCpu += after - (postgresBefore.get(pid) ?? 0);
    const ids = sent.slice(0, REPORTS).map((message) => message.messageId);
    const [kept, bounced, logged] = await Promise.all([
      db.feedbackReport.groupBy({ by: ['kind', 'effect'], where: { messageId: { in: ids } }, _count: true }),
      db.message.count({ where: { id: { in: ids }, status: 'bounced' } }),
      db.consentLogEntry.count({ where: { messageId: { in: ids }, source: 'bounce' } }),
    ]);
    const hard = measured.filter((report) => report.hard).length;
    const perSecond = REPORTS / seconds;
    const cpu = {
      worker: workerCpu / REPORTS,
      workerMainThread: mainThreadCpu / REPORTS,
      postgres: postgresCpu / REPORTS,
      sender: (senderCpu.user + senderCpu.system) / 1000 / REPORTS,
    };
    writeResult('inbound-reports', {
      command:
        'npm run bench (bench/inbound-reports.bench.ts); BENCH_ONLY=inbound-reports npm run bench for this one',
      path: 'SMTP (nodemailer, null sender) → worker inbound listener → mailparser → applyFeedback → reply to DATA',
      reports: REPORTS,
      connections: CONNECTIONS,
      reportBytes: round(measured.reduce((sum, report) => sum + report.raw.length, 0) / REPORTS, 0),
      mix: { hardBounce5_1_1: hard, delayed4_2_2: REPORTS - hard },
      seconds: round(seconds, 2),
      reportsPerSecond: round(perSecond),
      latencyMs: summarize(latencies),
      // The machine is shared: what the run cost in CPU says more than its rate when others load it.
      cpuMsPerReport: {
        worker: round(cpu.worker, 2),
        // The SMTP sessions, the consent writes and the queues; the worker's parsing thread has the rest.
        workerMainThread: round(cpu.workerMainThread, 2),
        postgres: round(cpu.postgres, 2),
        sender: round(cpu.sender, 2),
      },
      // The rate that CPU allows on two idle cores: the worker's busiest thread, or the three
      // processes together, whichever runs out first.
      ceilingOnTwoIdleCores: round(
        Math.min(
          1000 / Math.max(cpu.workerMainThread, cpu.worker - cpu.workerMainThread),
          2000 / (cpu.worker + cpu.postgres + cpu.sender),
        ),
      ),
      loadAverage: { before: round(loadBefore ?? 0, 2), after: round(loadavg()[0] ?? 0, 2) },
      applied: {
        feedbackReports: Object.fromEntries(kept.map((row) => [`${row.kind}/${row.effect}`, row._count])),
        messagesBounced: bounced,
        consentLogRows: logged,
      },
      target: TARGET,
      meetsTarget: perSecond >= TARGET.reportsPerSecond && bounced === hard && logged === hard,
    });
  });
} finally {
  await db.$disconnect();
}
