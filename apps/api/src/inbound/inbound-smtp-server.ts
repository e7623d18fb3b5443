import type { Db } from '@herald/db';
import type { SigningKey } from '@herald/preferences';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { type MailtoTarget, resolveUnsubscribeAddress, unsubscribeByMail } from './unsubscribe-by-mail.js';

interface InboundSmtpOptions {
  db: Db;
  keys: SigningKey[];
  mailDomain: string;
  port: number;
  host?: string;
  log?: (line: string) => void;
}

type Targets = Map<string, MailtoTarget>;

/**
 * The mailto half of List-Unsubscribe: accepts mail only for valid `unsubscribe+{token}@MAIL_DOMAIN`
 * addresses (anything else is refused at RCPT, so a relay never takes responsibility for it) and,
 * once the message has been received, unsubscribes the token's message category.
 */
export async function startInboundSmtpServer(
  options: InboundSmtpOptions,
): Promise<{ port: number; close(): Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    disableReverseLookup: true,
    size: 256 * 1024,
    banner: 'Herald unsubscribe service',
    onRcptTo(address: SMTPServerAddress, session, callback) {
      resolveUnsubscribeAddress(options.db, {
        address: address.address,
        mailDomain: options.mailDomain,
        keys: options.keys,
      }).then(
        (target) => {
          if (!target)
            return callback(Object.assign(new Error('5.1.1 No such mailbox here'), { responseCode: 550 }));
          const targets = ((session as { targets?: Targets }).targets ??= new Map());
          targets.set(target.messageId, target);
          callback();
        },
        (error: Error) =>
          callback(
            Object.assign(new Error(`4.3.0 Try again later (${error.message})`), { responseCode: 451 }),
          ),
      );
    },
    onData(stream, session, callback) {
      stream.resume();
      stream.on('end', () => {
        const targets = [...((session as { targets?: Targets }).targets?.values() ?? [])];
        Promise.all(targets.map((target) => unsubscribeByMail(options.db, target))).then(
          (results) => {
            const changed = results.reduce((count, result) => count + result.changed.length, 0);
            options.log?.(`mailto unsubscribe: ${targets.length} address(es), ${changed} change(s)`);
            callback();
          },
          (error: Error) =>
            callback(
              Object.assign(new Error(`4.3.0 Try again later (${error.message})`), { responseCode: 451 }),
            ),
        );
      });
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
