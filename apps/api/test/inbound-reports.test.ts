import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import {
  hashAddress,
  parseBounceAddress,
  parseSigningKeys,
  signBounceToken,
  signMailtoToken,
  verifyBounceToken,
} from '@herald/preferences';
import { parseEnv, WorkerEnvSchema } from '@herald/config';
import { createPrismaClient } from '@herald/db';
import { buildDeliveryStatusReport, buildFeedbackReport, freePort } from '@herald/test-support';
import { randomUUID } from 'node:crypto';
import { startInboundSmtpServer } from '../src/inbound/inbound-smtp-server.js';
import { InboundSmtpService } from '../src/inbound/inbound-smtp.service.js';
import { NEWSLETTER } from './support/feedback-scenarios.js';
import { addSubscriber, startHarness, uniqueEmail, waitForStatus, type Harness } from './support/harness.js';

const MAIL_DOMAIN = 'mail.example.test';
const FBL = `fbl@${MAIL_DOMAIN}`;
const NOTICE = { title: 'Your export is ready', body: 'Download it within 7 days.' };
const SIGN_IN = { signInUrl: 'https://app.example.com/sign-in/abc', expiresInMinutes: 15 };
let h: Harness;
let inboundPort: number;
beforeAll(async () => {
  h = await startHarness();
  const worker = await h.startWorker({ INBOUND_SMTP_PORT: '0', INBOUND_SMTP_HOST: '127.0.0.1' });
  inboundPort = worker.get(InboundSmtpService).port as number;
});
afterAll(async () => h?.close());

/** Sends a raw mail to the inbound listener from the null sender, as an MTA sends a report; the SMTP reply code. */
async function report(to: string, raw: string | Buffer, port = inboundPort): Promise<number> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true });
  try {
    const info = await transport.sendMail({ envelope: { from: '', to: [to] }, raw });
    return info.accepted.length === 1 ? 250 : 0;
  } catch (error) {
    return (error as { responseCode?: number }).responseCode ?? -1;
  } finally {
    transport.close();
  }
}

/** Sends a message through Herald and waits for it at the SMTP server: its id, the mail as received, its bounce address. */
async function deliver(template: string, email: string, data: Record<string, unknown>) {
  if (template === 'newsletter') await addSubscriber(h, email);
  const sent = await h.request('POST', '/v1/messages', { template, to: { email }, data });
  expect(sent.status).toBe(202);
  const caught = await h.catcher.waitFor((m) => m.heraldMessageId === sent.body.id);
  await waitForStatus(h, sent.body.id);
  return {
    id: sent.body.id as string,
    caught,
    raw: caught.raw as Buffer,
    bounceAddress: caught.envelope.from,
  };
}

/** The mail as a mailbox provider returns it in a complaint: with the envelope sender it recorded, less the named headers. */
function asDelivered(raw: Buffer, returnPath: string | null, drop: string[] = []): string {
  const text = raw.toString();
  const end = text.indexOf('\r\n\r\n');
  const headers = text
    .slice(0, end)
    .split(/\r\n(?![ \t])/)
    .filter((line) => !drop.some((name) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`)));
  return [...(returnPath ? [`Return-Path: <${returnPath}>`] : []), ...headers].join('\r\n') + text.slice(end);
}

const suppressions = (email: string) =>
  h.db.suppression.findMany({ where: { addressHash: hashAddress(email) }, select: { reason: true } });
const reportsFor = (messageId: string) =>
  h.db.feedbackReport.findMany({ where: { messageId }, orderBy: { receivedAt: 'asc' } });
const eventTypes = async (messageId: string) =>
  (await h.request('GET', `/v1/messages/${messageId}`)).body.events.map((e: { type: string }) => e.type);

async function send(template: string, email: string, data: Record<string, unknown>) {
  const sent = await h.request('POST', '/v1/messages', { template, to: { email }, data });
  return waitForStatus(h, sent.body.id);
}

describe('the VERP envelope sender', () => {
  it('is bounce+{token}@MAIL_DOMAIN, and the token names the message', async () => {
    const { id, bounceAddress } = await deliver('service-notice', uniqueEmail('verp'), NOTICE);
    const token = parseBounceAddress(bounceAddress, MAIL_DOMAIN);
    expect(token, bounceAddress).not.toBeNull();
    expect(bounceAddress.split('@')[0]!.length).toBeLessThanOrEqual(64);
    expect(verifyBounceToken(token!, parseSigningKeys(h.env.HERALD_SECRET!))).toEqual({
      ok: true,
      payload: { messageId: id },
    });
  });
});

describe('delivery status notifications to bounce+{token}', () => {
  it('a 5.1.1 report suppresses the address: the message is bounced and the next security mail to it is suppressed', async () => {
    const email = uniqueEmail('dsn-hard');
    const { id, raw, bounceAddress } = await deliver('service-notice', email, NOTICE);
    const dsn = buildDeliveryStatusReport({
      to: bounceAddress,
      recipients: [
        {
          finalRecipient: email,
          action: 'failed',
          status: '5.1.1',
          diagnosticCode: `smtp; 550 5.1.1 <${email}>: Recipient address rejected: User unknown`,
        },
      ],
      returned: raw,
    });
    // Mail systems may change the case of the address.
    const [local, domain] = bounceAddress.split('@') as [string, string];
    expect(await report(`${local.toUpperCase()}@${domain}`, dsn)).toBe(250);

    const message = (await h.request('GET', `/v1/messages/${id}`)).body;
    expect(message.status).toBe('bounced');
    expect(message.events.map((e: { type: string }) => e.type)).toContain('bounced');
    expect(await suppressions(email)).toEqual([{ reason: 'hard_bounce' }]);
    expect(await reportsFor(id)).toEqual([
      expect.objectContaining({
        channel: 'inbound-smtp',
        kind: 'hard-bounce',
        status: '5.1.1',
        matched: true,
      }),
    ]);
    const log = await h.request('GET', `/v1/contacts/${message.contactId}/consent-log`);
    expect(log.body.entries).toEqual([
      expect.objectContaining({ action: 'suppress', source: 'bounce', messageId: id }),
    ]);

    const next = await send('security-sign-in', email, SIGN_IN);
    expect(next).toMatchObject({ status: 'suppressed', reason: 'hard-bounce' });
  });

  it('4.2.2 (delayed) and 5.2.2 (mailbox full) reports are recorded as soft bounces and suppress nothing', async () => {
    const email = uniqueEmail('dsn-soft');
    const { id, raw, bounceAddress } = await deliver('service-notice', email, NOTICE);
    for (const [action, status] of [
      ['delayed', '4.2.2'],
      ['failed', '5.2.2'],
    ] as const) {
      const dsn = buildDeliveryStatusReport({
        to: bounceAddress,
        recipients: [
          { finalRecipient: email, action, status, diagnosticCode: `smtp; 452 ${status} Mailbox full` },
        ],
        returned: raw,
        headersOnly: true,
      });
      expect(await report(bounceAddress, dsn)).toBe(250);
    }
    expect(await suppressions(email)).toEqual([]);
    expect((await reportsFor(id)).map((r) => [r.kind, r.status, r.effect])).toEqual([
      ['soft-bounce', '4.2.2', 'soft-bounce-counted'],
      ['soft-bounce', '5.2.2', 'soft-bounce-counted'],
    ]);
    expect(await eventTypes(id)).toEqual(['queued', 'sent', 'soft-bounce', 'soft-bounce']);
    expect(await send('service-notice', email, NOTICE)).toMatchObject({ status: 'sent' });
  });
});

describe('feedback-loop complaints', () => {
  it('an abuse report to fbl@ found by the bounce+ Return-Path suppresses the next newsletter (complaint) while security mail still goes', async () => {
    const email = uniqueEmail('arf');
    const { id, raw, bounceAddress } = await deliver('newsletter', email, NEWSLETTER);
    // Only the envelope sender the receiving server recorded names the message.
    const returned = asDelivered(raw, bounceAddress, ['x-herald-message-id', 'message-id']);
    expect(returned).not.toContain(id);
    const arf = buildFeedbackReport({ to: FBL, feedbackType: 'abuse', originalRcptTo: email, returned });
    expect(await report(FBL, arf)).toBe(250);

    expect(await suppressions(email)).toEqual([{ reason: 'complaint' }]);
    expect(await reportsFor(id)).toEqual([
      expect.objectContaining({
        kind: 'complaint',
        matched: true,
        effect: 'suppressed',
        class: 'promotional',
      }),
    ]);
    expect(await eventTypes(id)).toContain('complained');
    const { contactId } = await waitForStatus(h, id);
    const log = await h.request('GET', `/v1/contacts/${contactId}/consent-log`);
    expect(log.body.entries).toEqual([
      expect.objectContaining({ action: 'suppress', source: 'complaint', messageId: id }),
    ]);

    expect(await send('newsletter', email, NEWSLETTER)).toMatchObject({
      status: 'suppressed',
      reason: 'complaint',
    });
    expect(await send('security-sign-in', email, SIGN_IN)).toMatchObject({ status: 'sent' });
  });

  it('a report whose returned headers name the message only by X-Herald-Message-Id is matched', async () => {
    const email = uniqueEmail('arf-id');
    const { id, raw } = await deliver('newsletter', email, NEWSLETTER);
    const returned = asDelivered(raw, null, ['message-id']);
    expect(returned).not.toContain('bounce+');
    const arf = buildFeedbackReport({ to: FBL, returned, headersOnly: true });
    expect(await report(FBL, arf)).toBe(250);
    expect(await suppressions(email)).toEqual([{ reason: 'complaint' }]);
    expect(await reportsFor(id)).toEqual([expect.objectContaining({ kind: 'complaint', matched: true })]);
  });
});

describe('complaints sent to bounce+{token}', () => {
  it('are complaints about the message the token names, even when they return nothing of it', async () => {
    const email = uniqueEmail('arf-verp');
    const { id, bounceAddress } = await deliver('newsletter', email, NEWSLETTER);
    expect(await report(bounceAddress, buildFeedbackReport({ to: bounceAddress }))).toBe(250);
    expect(await suppressions(email)).toEqual([{ reason: 'complaint' }]);
    expect(await reportsFor(id)).toEqual([expect.objectContaining({ kind: 'complaint', matched: true })]);
  });
});

describe('reports that match nothing or cannot be read', () => {
  it('are accepted and kept, change nothing, and the listener keeps serving', async () => {
    const email = uniqueEmail('malformed');
    const { id, raw, bounceAddress } = await deliver('newsletter', email, NEWSLETTER);
    const before = await h.db.feedbackReport.count();
    const garbage = [
      // A complaint naming the address but not the message: nothing suppresses by address alone.
      [
        FBL,
        buildFeedbackReport({
          to: FBL,
          originalRcptTo: email,
          returned: asDelivered(raw, null, ['x-herald-message-id', 'message-id']),
        }),
      ],
      // A complaint without its Feedback-Type.
      [bounceAddress, buildFeedbackReport({ to: bounceAddress, feedbackType: null, returned: raw })],
      // A DSN with no status.
      [
        bounceAddress,
        buildDeliveryStatusReport({
          to: bounceAddress,
          recipients: [{ finalRecipient: email, action: 'failed' }],
        }),
      ],
      // Garbage MIME: an unterminated multipart with binary noise.
      [
        bounceAddress,
        `Content-Type: multipart/report; report-type=delivery-status; boundary="x"\r\n\r\n--x\r\nContent-Type: message/delivery-status\r\nContent-Transfer-Encoding: base64\r\n\r\n%%%\u0000\u0001\u00ff=?=\r\n--y`,
      ],
      // An empty message, and an auto-reply.
      [bounceAddress, ''],
      [FBL, 'From: someone@receiver.example\r\nSubject: Out of office\r\n\r\nBack on Monday.\r\n'],
    ] as const;
    for (const [to, mail] of garbage) expect(await report(to, mail), mail.slice(0, 60)).toBe(250);

    const kept = await h.db.feedbackReport.findMany({ orderBy: { receivedAt: 'asc' }, skip: before });
    // The first is a complaint, but unmatched; the others could not be read as reports.
    expect(kept.map((r) => [r.kind, r.matched, r.effect])).toEqual([
      ['complaint', false, 'none'],
      ...garbage.slice(1).map(() => ['unparsed', false, 'none']),
    ]);
    // Those sent to the message's bounce address name it.
    expect(kept.map((r) => r.messageId)).toEqual(garbage.map(([to]) => (to === FBL ? null : id)));
    expect(await suppressions(email)).toEqual([]);
    expect(await eventTypes(id)).toEqual(['queued', 'sent']);

    // Still serving: a real report after the garbage goes through.
    const dsn = buildDeliveryStatusReport({
      to: bounceAddress,
      recipients: [{ finalRecipient: email, action: 'failed', status: '5.1.1' }],
    });
    expect(await report(bounceAddress, dsn)).toBe(250);
    expect(await suppressions(email)).toEqual([{ reason: 'hard_bounce' }]);
  });

  it('accepts a report that returns a large message, and refuses one over 1 MiB with 552 keeping nothing of it', async () => {
    const email = uniqueEmail('big');
    const { id, bounceAddress, raw } = await deliver('service-notice', email, NOTICE);
    const dsnReturning = (lines: number) =>
      buildDeliveryStatusReport({
        to: bounceAddress,
        recipients: [{ finalRecipient: email, action: 'delayed', status: '4.2.2' }],
        returned: Buffer.concat([raw, Buffer.from(`${'x'.repeat(998)}\r\n`.repeat(lines))]),
      });
    expect(await report(bounceAddress, dsnReturning(700))).toBe(250);
    expect(await report(bounceAddress, dsnReturning(1100))).toBe(552);
    expect((await reportsFor(id)).map((r) => r.kind)).toEqual(['soft-bounce']);
  });
});

describe('a database that cannot be reached', () => {
  it('answers 451 after DATA, so the sender keeps the report and tries again', async () => {
    const keys = parseSigningKeys(h.env.HERALD_SECRET!);
    const unreachable = createPrismaClient({
      databaseUrl: `postgresql://postgres@127.0.0.1:${await freePort()}/herald`,
      maxConnections: 1,
      connectTimeoutMs: 1000,
    });
    const server = await startInboundSmtpServer({
      db: unreachable,
      keys,
      mailDomain: MAIL_DOMAIN,
      feedbackLoopAddress: FBL,
      feedbackEnv: parseEnv(WorkerEnvSchema, h.env),
      port: 0,
      host: '127.0.0.1',
    });
    try {
      const to = `bounce+${signBounceToken({ messageId: randomUUID() }, keys)}@${MAIL_DOMAIN}`;
      const dsn = buildDeliveryStatusReport({
        to,
        recipients: [{ finalRecipient: 'x@example.test', action: 'failed', status: '5.1.1' }],
      });
      // A report, and a mail that is none: either is kept, and keeping it needs the database.
      expect(await report(to, dsn, server.port)).toBe(451);
      expect(await report(FBL, 'Subject: hello\r\n\r\nhi\r\n', server.port)).toBe(451);
    } finally {
      await server.close();
      await unreachable.$disconnect();
    }
  });
});

describe('recipients', () => {
  it('refuses every address but unsubscribe+, a valid bounce+ and the feedback-loop address at RCPT with 550', async () => {
    const keys = parseSigningKeys(h.env.HERALD_SECRET!);
    const foreign = parseSigningKeys(`other:${'x'.repeat(43)}`);
    const messageId = randomUUID();
    const addresses = [
      `postmaster@${MAIL_DOMAIN}`,
      `abuse@${MAIL_DOMAIN}`,
      `fbl@other.example`,
      `bounce+${'a'.repeat(48)}@${MAIL_DOMAIN}`,
      `bounce+${signBounceToken({ messageId }, foreign)}@${MAIL_DOMAIN}`,
      `bounce+${signBounceToken({ messageId }, keys)}@other.example`,
      // An unsubscribe token is no bounce token, nor the reverse.
      `bounce+${signMailtoToken({ messageId }, keys)}@${MAIL_DOMAIN}`,
      `unsubscribe+${signBounceToken({ messageId }, keys)}@${MAIL_DOMAIN}`,
    ];
    const dsn = buildDeliveryStatusReport({
      to: 'x',
      recipients: [{ finalRecipient: 'x@example.test', action: 'failed', status: '5.1.1' }],
    });
    const before = await h.db.feedbackReport.count();
    expect(await Promise.all(addresses.map((to) => report(to, dsn)))).toEqual(addresses.map(() => 550));
    expect(await h.db.feedbackReport.count()).toBe(before);
  });
});
