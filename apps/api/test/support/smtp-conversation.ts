import { connect, type Socket } from 'node:net';

/** One SMTP client connection read reply by reply, to see exactly what a server tells a peer. */
export interface SmtpConversation {
  /** The server's first reply (220, or 421 when it will not serve this client). */
  greeting: Promise<string>;
  /** Sends one line (CRLF added) and resolves with the whole reply, every line of it. */
  say(line: string): Promise<string>;
  /** Resolves with the next reply without sending anything (one the server sends unasked, such as a timeout). */
  reply(): Promise<string>;
  /** Resolves once the server has closed the connection. */
  closed: Promise<void>;
  end(): void;
}

/**
 * Connects to an SMTP server on a raw socket. A reply is complete at its last line, the one whose
 * code is followed by a space rather than a hyphen (RFC 5321, 4.2.1).
 */
export function openSmtpConversation(port: number, host = '127.0.0.1'): SmtpConversation {
  const socket: Socket = connect(port, host);
  let buffered = '';
  const waiting: ((reply: string) => void)[] = [];
  const replies: string[] = [];
  const deliver = () => {
    for (;;) {
      const match = /^(?:\d{3}-[^\n]*\n)*\d{3}(?: [^\n]*)?\r?\n/.exec(buffered);
      if (!match) return;
      buffered = buffered.slice(match[0].length);
      const reply = match[0].trimEnd();
      const next = waiting.shift();
      if (next) next(reply);
      else replies.push(reply);
    }
  };
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    deliver();
  });
  const nextReply = () =>
    new Promise<string>((resolve, reject) => {
      const ready = replies.shift();
      if (ready !== undefined) return resolve(ready);
      waiting.push(resolve);
      socket.once('error', reject);
    });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    greeting: nextReply(),
    say(line) {
      socket.write(`${line}\r\n`);
      return nextReply();
    },
    reply: nextReply,
    closed,
    end: () => socket.destroy(),
  };
}
