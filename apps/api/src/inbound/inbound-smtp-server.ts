import type { Db } from '@herald/db';
import type { SigningKey } from '@herald/preferences';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import type { Readable } from 'node:stream';
import { createReportReceiver, type ReportRecipient } from './create-report-receiver.js';
import { resolveInboundRecipient, type InboundRecipient } from './resolve-inbound-recipient.js';
import { type MailtoTarget, unsubscribeByMail } from './unsubscribe-by-mail.js';

interface InboundSmtpOptions {
  db: Db;
  keys: SigningKey[];
  mailDomain: string;
  /** Where feedback-loop complaint reports come (HERALD_FBL_ADDRESS, default fbl@{MAIL_DOMAIN}). */
  feedbackLoopAddress: string;
  /** The settings `applyFeedback` reads (soft-bounce limit, campaign guardrails). */
  feedbackEnv: Parameters<typeof createReportReceiver>[0]['env'];
  port: number;
  host?: string;
  log?: (line: string) => void;
}

/**
 * Bounce reports carry the message they return, so they need more room than an unsubscribe mail;
 * a larger mail is refused with 552 and never read into memory past this.
 */
export const INBOUND_MAX_MESSAGE_BYTES = 1024 * 1024;

type Session = SMTPServerSession & { unsubscribes?: Map<string, MailtoTarget>; reports?: ReportRecipient[] };

const smtpError = (code: number, message: string) =>
  Object.assign(new Error(message), { responseCode: code });

/**
 * The worker's inbound listener. It accepts mail for three kinds of recipient and refuses every
 * other at RCPT with 550 (see resolve-inbound-recipient.ts): `unsubscribe+{token}` (the mailto half
 * of List-Unsubscribe: the token's message category is unsubscribed), `bounce+{token}` (delivery
 * status notifications and complaints about that message) and the feedback-loop address
 * (complaint reports that quote the message). A report is kept whatever it holds; only a database
 * failure answers 451, so the sender tries again, never a report it cannot read.
 */
export async function startInboundSmtpServer(
  options: InboundSmtpOptions,
): Promise<{ port: number; close(): Promise<void> }> {
  const receiveReport = createReportReceiver({
    db: options.db,
    env: options.feedbackEnv,
    keys: options.keys,
    mailDomain: options.mailDomain,
    ...(options.log && { log: options.log }),
  });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    disableReverseLookup: true,
    size: INBOUND_MAX_MESSAGE_BYTES,
    rejectOversized: true,
    banner: 'Herald unsubscribe and bounce service',
    onMailFrom(_address, session: Session, callback) {
      // Each transaction's recipients are its own: a transaction given up (RSET) leaves nothing behind.
      session.reports = [];
      session.unsubscribes = new Map();
      callback();
    },
    onRcptTo(address: SMTPServerAddress, session: Session, callback) {
      resolveInboundRecipient(options.db, {
        address: address.address,
        mailDomain: options.mailDomain,
        feedbackLoopAddress: options.feedbackLoopAddress,
        keys: options.keys,
      }).then(
        (recipient: InboundRecipient | null) => {
          if (!recipient) return callback(smtpError(550, '5.1.1 No such mailbox here'));
          if (recipient.kind === 'unsubscribe') {
            (session.unsubscribes ??= new Map()).set(recipient.target.messageId, recipient.target);
          } else {
            (session.reports ??= []).push(recipient);
          }
          callback();
        },
        (error: Error) => callback(smtpError(451, `4.3.0 Try again later (${error.message})`)),
      );
    },
    onData(stream, session: Session, callback) {
      const reports = session.reports ?? [];
      const unsubscribes = [...(session.unsubscribes?.values() ?? [])];
      readBody(stream, reports.length > 0).then((body) => {
        // Over the size limit: the server answers 552 itself (rejectOversized) and nothing is applied.
        if (stream.sizeExceeded) return callback();
        Promise.all([
          unsubscribeAll(options, unsubscribes),
          reports.length > 0 ? receiveReport(body, reports) : Promise.resolve([]),
        ]).then(
          () => callback(),
          (error: Error) => callback(smtpError(451, `4.3.0 Try again later (${error.message})`)),
        );
      }, callback);
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  server.on('error', (error) => options.log?.(`inbound SMTP error: ${error.message}`));
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The message, kept only when a report needs reading and only up to the size limit. */
function readBody(stream: Readable & { sizeExceeded?: boolean }, keep: boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    stream.on('data', (chunk: Buffer) => {
      if (!keep || length + chunk.length > INBOUND_MAX_MESSAGE_BYTES) return;
      chunks.push(chunk);
      length += chunk.length;
    });
    stream.once('end', () => resolve(Buffer.concat(chunks, length)));
    stream.once('error', reject);
  });
}

async function unsubscribeAll(options: InboundSmtpOptions, targets: MailtoTarget[]): Promise<void> {
  if (targets.length === 0) return;
  const results = await Promise.all(targets.map((target) => unsubscribeByMail(options.db, target)));
  const changed = results.reduce((count, result) => count + result.changed.length, 0);
  options.log?.(`mailto unsubscribe: ${targets.length} address(es), ${changed} change(s)`);
}
