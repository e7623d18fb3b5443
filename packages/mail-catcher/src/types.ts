import type { ParsedMail } from 'mailparser';

/**
 * How much of each message is kept in memory.
 * - `all`: the raw .eml, so parse() and the web inbox show everything.
 * - `headers`: only the header block; parse() returns headers without body parts.
 * - `count`: only the envelope, subject and X-Herald-Message-Id (benchmarks); parse() rejects.
 */
export type KeepMode = 'all' | 'headers' | 'count';

/** An SMTP reply that refuses one recipient, e.g. `{ code: 550, message: 'No such user' }`. */
export interface RcptRejection {
  code: number;
  message: string;
}

/** Decides per RCPT TO whether to refuse it; null accepts. */
export type RcptHandler = (address: string) => RcptRejection | null;

/** The replies a test can hold back: the greeting, and the answers to MAIL FROM, RCPT TO and the end of DATA. */
export type SmtpStage = 'greeting' | 'mail' | 'rcpt' | 'data';

export interface MailCatcherOptions {
  /** 0 picks a free port. Default 1025. */
  smtpPort?: number;
  /** null runs no web inbox; 0 picks a free port. Default null. */
  httpPort?: number | null;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 'all'. */
  keep?: KeepMode;
  /** Oldest messages are dropped beyond this. Default 10 000. */
  maxMessages?: number;
  rcptHandler?: RcptHandler;
  /** Milliseconds to wait before each reply of that stage, asked at every reply; none by default. */
  replyDelayMs?: (stage: SmtpStage) => number;
  /** Messages larger than this are refused with 552. Default 25 MiB. */
  maxMessageBytes?: number;
}

export interface Envelope {
  /** MAIL FROM, '' for the null sender. */
  from: string;
  to: string[];
}

export interface CaughtMessage {
  id: string;
  /** Date.now() when DATA ended. */
  receivedAt: number;
  envelope: Envelope;
  heraldMessageId?: string;
  /** Decoded from RFC 2047 encoded words. */
  subject?: string;
  /** The message as received, only with keep='all'. */
  raw?: Buffer;
  /** First header of that name (case-insensitive), unfolded; undefined with keep='count'. */
  header(name: string): string | undefined;
  /** Every header in order, unfolded; empty with keep='count'. */
  headers(): ReadonlyArray<HeaderField>;
  /** Full MIME parse with mailparser, done on first call and cached. */
  parse(): Promise<ParsedMail>;
}

export interface HeaderField {
  name: string;
  value: string;
}

export interface WaitOptions {
  /** Default 10 000 ms. */
  timeoutMs?: number;
}

export interface MailCatcher {
  smtpPort: number;
  httpPort: number | null;
  /** smtp://host:port */
  smtpUrl: string;
  /** http://host:port, or null without a web inbox. */
  webUrl: string | null;
  /** Kept messages, oldest first. */
  messages(): CaughtMessage[];
  /** Messages accepted since start or the last clear(), including ones dropped by maxMessages. */
  count(): number;
  /** Resolves with the first kept or future message matching the predicate. */
  waitFor(predicate: (message: CaughtMessage) => boolean, options?: WaitOptions): Promise<CaughtMessage>;
  /** Resolves once count() >= n. */
  waitForCount(n: number, options?: WaitOptions): Promise<void>;
  clear(): void;
  /** Stops accepting connections and drops the open ones (421), as a mail server going down. */
  stopListening(): Promise<void>;
  /** Listens again on the same SMTP port after stopListening(). */
  resumeListening(): Promise<void>;
  close(): Promise<void>;
  /** Called for every accepted message; returns a function that unsubscribes. */
  onMessage(listener: (message: CaughtMessage) => void): () => void;
}
