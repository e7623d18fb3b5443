import {
  startMailCatcher,
  type KeepMode,
  type MailCatcher,
  type RcptHandler,
  type RcptRejection,
  type SmtpStage,
} from '@herald/mail-catcher';

export interface TestSmtpServer extends MailCatcher {
  /** Deliveries per X-Herald-Message-Id: more than 1 is a duplicate. */
  received: Map<string, number>;
  /** Answers RCPT TO for `address` (case-insensitive) with this code and text from now on, e.g. 550 '5.1.1 No such user'. */
  answer(address: string, code: number, message: string): void;
  /** Holds every later reply of `stage` back by `ms` (0 answers at once again). */
  delay(stage: SmtpStage, ms: number): void;
  /** Stops listening and drops open connections: new connections are refused. */
  refuseConnections(): Promise<void>;
  /** Listens again, on the same port. */
  acceptConnections(): Promise<void>;
}

export interface TestSmtpServerOptions {
  /** RCPT TO answers to start with, by address. */
  answers?: Record<string, RcptRejection>;
  /** Refuses every recipient whose address starts with one of these with 550 5.1.1. */
  unknownPrefixes?: string[];
  /** Asked for every other recipient, for rules a table cannot say (refuse the first two tries, …). */
  rcptHandler?: RcptHandler;
  /**
   * Asked for every recipient: how long to hold its RCPT TO reply back, on top of delay('rcpt'). A
   * slow reply for some addresses only keeps their SMTP transactions open while others go through.
   */
  rcptDelayMs?: (address: string) => number;
  keep?: KeepMode;
  maxMessages?: number;
}

/**
 * An SMTP server that a test controls: it keeps what it receives (a mail catcher) and can refuse
 * connections, come back on the same port, answer slowly at a chosen step or for chosen recipients,
 * and answer chosen recipients with chosen codes, as real mail servers do on bad days.
 */
export async function startTestSmtpServer(options: TestSmtpServerOptions = {}): Promise<TestSmtpServer> {
  const answers = new Map<string, RcptRejection>(
    Object.entries(options.answers ?? {}).map(([address, answer]) => [address.toLowerCase(), answer]),
  );
  const delays = new Map<SmtpStage, number>();
  const unknown = options.unknownPrefixes ?? [];
  // The catcher asks for a RCPT TO reply's delay right after asking the handler about that same
  // recipient, in the same tick: the address the handler saw last is the one whose reply is timed.
  let rcptAddress = '';
  const catcher = await startMailCatcher({
    smtpPort: 0,
    httpPort: null,
    keep: options.keep ?? 'all',
    ...(options.maxMessages !== undefined && { maxMessages: options.maxMessages }),
    replyDelayMs: (stage) =>
      (delays.get(stage) ?? 0) + (stage === 'rcpt' ? (options.rcptDelayMs?.(rcptAddress) ?? 0) : 0),
    rcptHandler: (address) => {
      rcptAddress = address;
      const lower = address.toLowerCase();
      const answer = answers.get(lower);
      if (answer) return answer;
      if (unknown.some((prefix) => lower.startsWith(prefix)))
        return { code: 550, message: '5.1.1 No such user' };
      return options.rcptHandler?.(address) ?? null;
    },
  });
  const received = new Map<string, number>();
  catcher.onMessage((message) => {
    if (message.heraldMessageId)
      received.set(message.heraldMessageId, (received.get(message.heraldMessageId) ?? 0) + 1);
  });
  return {
    ...catcher,
    received,
    answer(address, code, message) {
      answers.set(address.toLowerCase(), { code, message });
    },
    delay(stage, ms) {
      delays.set(stage, ms);
    },
    refuseConnections: catcher.stopListening,
    acceptConnections: catcher.resumeListening,
  };
}
