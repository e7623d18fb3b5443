import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { SMTPServer } from 'smtp-server';
import { SMTPConnection, type SMTPConnectionOptions } from 'smtp-server/lib/smtp-connection.js';

/**
 * smtp-server 3.21.6 waits a fixed 100 ms before greeting every connection
 * (SMTPConnection.init: "Keep a small delay for detecting early talkers"); no option turns
 * it off. Spam-bot detection is pointless for a local catcher and the delay dominates
 * unpooled sends (about 47 messages/s), so this server does what connect() does, minus the
 * timer. The reverse DNS lookup after it is skipped with `disableReverseLookup`.
 * Pinned to smtp-server 3.21.6: re-check connect(), init() and close() when upgrading.
 */
export class PromptGreetingSMTPServer extends SMTPServer {
  override connect(socket: Socket | TLSSocket, socketOptions?: SMTPConnectionOptions | null): void {
    const connection = new SMTPConnection(this, socket, socketOptions);
    this.connections.add(connection);
    connection.on('error', (error: Error) => this._onError(error));
    connection.on('connect', (data) => this._onClientConnect(data));
    connection._setListeners(() => connection.connectionReady());
  }

  /**
   * close() leaves its `_closeTimeout` set, and while it is set every connection answers every
   * command with "421 Server shutting down": clear it before listening again after a close().
   */
  forgetClose(): void {
    (this as unknown as { _closeTimeout: unknown })._closeTimeout = false;
  }
}
