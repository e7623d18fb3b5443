import type { AddressInfo } from 'node:net';
import { startWebInbox } from './web/start-web-inbox.js';
import { createMessageStore } from './message-store.js';
import { PromptGreetingSMTPServer } from './prompt-greeting-smtp-server.js';
import { receiveMessage } from './receive-message.js';
import type { MailCatcher, MailCatcherOptions, SmtpStage } from './types.js';

interface SmtpReplyError extends Error {
  responseCode?: number;
}

/** Starts a local SMTP server that keeps what it receives, and optionally a web inbox. */
export async function startMailCatcher(options: MailCatcherOptions = {}): Promise<MailCatcher> {
  const host = options.host ?? '127.0.0.1';
  const keep = options.keep ?? 'all';
  const store = createMessageStore(options.maxMessages ?? 10_000);
  const { rcptHandler, replyDelayMs } = options;
  // Holds a reply back when a test asked for a slow server; immediate otherwise.
  const afterDelay = (stage: SmtpStage, reply: () => void) => {
    const ms = replyDelayMs?.(stage) ?? 0;
    if (ms > 0) setTimeout(reply, ms);
    else reply();
  };

  const smtp = new PromptGreetingSMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    size: options.maxMessageBytes ?? 25 * 1024 * 1024,
    rejectOversized: true,
    logger: false,
    // Tests send thousands of messages per connection; the default caps commands before AUTH.
    maxAllowedUnauthenticatedCommands: false,
    // Close idle pooled client connections at once instead of after 30 s.
    closeTimeout: 1,
    onConnect(_session, callback) {
      afterDelay('greeting', () => callback());
    },
    onMailFrom(_address, _session, callback) {
      afterDelay('mail', () => callback());
    },
    onRcptTo(address, _session, callback) {
      const rejection = rcptHandler?.(address.address);
      if (!rejection) return afterDelay('rcpt', () => callback());
      const error: SmtpReplyError = new Error(rejection.message);
      error.responseCode = rejection.code;
      afterDelay('rcpt', () => callback(error));
    },
    onData(stream, session, callback) {
      receiveMessage(stream, session, keep, store.add, (error, reply) =>
        afterDelay('data', () => callback(error, reply)),
      );
    },
  });
  smtp.on('error', () => {
    // Client-side failures (resets, timeouts) surface here; they must not crash the catcher.
  });
  const smtpPort = await listen(smtp, options.smtpPort ?? 1025, host);

  const closeSmtp = () => new Promise<void>((resolve) => smtp.close(() => resolve()));
  // No inbox unless asked for: parallel test files would otherwise fight over one port.
  const httpPort = options.httpPort ?? null;
  let web: Awaited<ReturnType<typeof startWebInbox>> | null = null;
  try {
    if (httpPort !== null) web = await startWebInbox({ store, host, port: httpPort });
  } catch (error) {
    await closeSmtp();
    throw error;
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    smtpPort,
    httpPort: web?.port ?? null,
    smtpUrl: `smtp://${urlHost}:${smtpPort}`,
    webUrl: web ? `http://${urlHost}:${web.port}` : null,
    messages: store.list,
    count: store.count,
    waitFor: store.waitFor,
    waitForCount: store.waitForCount,
    clear: store.clear,
    onMessage: store.onMessage,
    stopListening: closeSmtp,
    async resumeListening() {
      smtp.forgetClose();
      await listen(smtp, smtpPort, host);
    },
    async close() {
      await Promise.all([closeSmtp(), web?.close()]);
    },
  };
}

function listen(smtp: PromptGreetingSMTPServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    smtp.server.once('error', reject);
    smtp.listen(port, host, () => {
      smtp.server.off('error', reject);
      resolve((smtp.server.address() as AddressInfo).port);
    });
  });
}
