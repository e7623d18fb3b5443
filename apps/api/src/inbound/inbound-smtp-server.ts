import type { Db } from '@herald/db';
import type { SigningKey } from '@herald/preferences';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import type { Readable } from 'node:stream';
import { createReportReceiver, type ReportRecipient } from './create-report-receiver.js';
import type { InboundTls } from './read-inbound-tls.js';
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
  /** The address to bind (INBOUND_SMTP_HOST): loopback unless the operator names another. */
  host?: string;
  /** Clients connected at once; the next is answered 421 (INBOUND_SMTP_MAX_CLIENTS). */
  maxClients?: number;
  /** A silent client is answered 421 and disconnected after this (INBOUND_SMTP_IDLE_TIMEOUT_MS). */
  idleTimeoutMs?: number;
  /** Offered with STARTTLS when given; without it STARTTLS is not offered at all. */
  tls?: InboundTls;
  log?: (line: string) => void;
}

/**
 * Bounce reports carry the message they return, so they need more room than an unsubscribe mail;
 * a larger mail is refused with 552 and never read into memory past this.
 */
export const INBOUND_MAX_MESSAGE_BYTES = 1024 * 1024;

/** The listener as started: the port and the address it is bound to. */
export interface InboundSmtpListener {
  port: number;
  host: string;
  close(): Promise<void>;
}

type Session = SMTPServerSession & { unsubscribes?: Map<string, MailtoTarget>; reports?: ReportRecipient[] };

const smtpError = (code: number, message: string) =>
  Object.assign(new Error(message), { responseCode: code });

/**
 * What a client is told when something fails on Herald's side: the sender keeps the mail and tries
 * again. The cause (a database host, a stack) goes to the log only, never to an unauthenticated peer.
 */
const TEMPORARY_FAILURE = '4.3.0 Temporary failure, try again later';

/**
 * The worker's inbound listener. It accepts mail for three kinds of recipient and refuses every
 * other at RCPT with 550 (see resolve-inbound-recipient.ts): `unsubscribe+{token}` (the mailto half
 * of List-Unsubscribe: the token's message category is unsubscribed), `bounce+{token}` (delivery
 * status notifications and complaints about that message) and the feedback-loop address
 * (complaint reports that quote the message). A report is kept whatever it holds; only a failure on
 * Herald's side (the database) answers 451, so the sender tries again, never a report it cannot read.
 * Its peers are unauthenticated: it binds loopback unless told otherwise, holds a bounded number of
 * clients for a bounded idle time, and tells them nothing of its internals.
 */
export async function startInboundSmtpServer(options: InboundSmtpOptions): Promise<InboundSmtpListener> {
  const receiveReport = createReportReceiver({
    db: options.db,
    env: options.feedbackEnv,
    keys: options.keys,
    mailDomain: options.mailDomain,
    ...(options.log && { log: options.log }),
  });
  const temporaryFailure = (stage: string) => (error: unknown) => {
    options.log?.(
      `inbound SMTP: ${stage} failed, answered 451: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return smtpError(451, TEMPORARY_FAILURE);
  };
  const server = new SMTPServer({
    authOptional: true,
    // Nobody signs in here; STARTTLS only with the operator's certificate, never the library's built-in one.
    disabledCommands: options.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(options.tls && { key: options.tls.key, cert: options.tls.cert }),
    maxClients: options.maxClients ?? 100,
    socketTimeout: options.idleTimeoutMs ?? 60_000,
    disableReverseLookup: true,
    // The greeting and every reply name the mail domain the listener serves, not the machine's own name.
    name: options.mailDomain,
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
        (error: unknown) => callback(temporaryFailure('RCPT TO')(error)),
      );
    },
    onData(stream, session: Session, callback) {
      // The mail is the request: it arrives as DATA begins (the consent log's requested_at).
      const receivedAt = new Date();
      const reports = session.reports ?? [];
      const unsubscribes = [...(session.unsubscribes?.values() ?? [])];
      readBody(stream, reports.length > 0).then(
        (body) => {
          // Over the size limit: the server answers 552 itself (rejectOversized) and nothing is applied.
          if (stream.sizeExceeded) return callback();
          Promise.all([
            unsubscribeAll(options, unsubscribes, receivedAt),
            reports.length > 0 ? receiveReport(body, reports) : Promise.resolve([]),
          ]).then(
            () => callback(),
            (error: unknown) => callback(temporaryFailure('DATA')(error)),
          );
        },
        (error: unknown) => callback(temporaryFailure('reading DATA')(error)),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  server.on('error', (error) => options.log?.(`inbound SMTP error: ${error.message}`));
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    host: typeof address === 'object' && address ? address.address : (options.host ?? '127.0.0.1'),
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

async function unsubscribeAll(
  options: InboundSmtpOptions,
  targets: MailtoTarget[],
  receivedAt: Date,
): Promise<void> {
  if (targets.length === 0) return;
  const results = await Promise.all(
    targets.map((target) => unsubscribeByMail(options.db, target, receivedAt)),
  );
  const changed = results.reduce((count, result) => count + result.changed.length, 0);
  options.log?.(`mailto unsubscribe: ${targets.length} address(es), ${changed} change(s)`);
}
