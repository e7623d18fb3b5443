import { randomUUID } from 'node:crypto';
import type { SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { createCaughtMessage } from './create-caught-message.js';
import { findHeaderEnd } from './header-block.js';
import type { CaughtMessage, KeepMode } from './types.js';

interface SmtpReplyError extends Error {
  responseCode?: number;
}

/**
 * The onData handler: buffers the DATA stream and builds the stored message. Unless the
 * body is kept, only the header block is buffered and the rest is drained.
 */
export function receiveMessage(
  stream: SMTPServerDataStream,
  session: SMTPServerSession,
  keep: KeepMode,
  accept: (message: CaughtMessage) => void,
  callback: (error?: Error | null, message?: string) => void,
): void {
  const chunks: Buffer[] = [];
  let headerEnd = -1;
  let buffered = 0;
  stream.on('data', (chunk: Buffer) => {
    if (keep !== 'all' && headerEnd !== -1) return;
    chunks.push(chunk);
    buffered += chunk.length;
    if (keep !== 'all')
      headerEnd = findHeaderEnd(chunks.length === 1 ? chunk : Buffer.concat(chunks, buffered));
  });
  stream.on('error', (error: Error) => callback(error));
  stream.on('end', () => {
    if (stream.sizeExceeded) {
      const error: SmtpReplyError = new Error('Message exceeds the fixed maximum message size');
      error.responseCode = 552;
      callback(error);
      return;
    }
    const data = chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks, buffered);
    if (keep === 'all') headerEnd = findHeaderEnd(data);
    const headerBlock = (headerEnd === -1 ? data : data.subarray(0, headerEnd)).toString('utf8');
    const id = randomUUID();
    const mailFrom = session.envelope.mailFrom;
    const message = createCaughtMessage({
      id,
      receivedAt: Date.now(),
      envelope: {
        from: mailFrom ? mailFrom.address : '',
        to: session.envelope.rcptTo.map((recipient) => recipient.address),
      },
      keep,
      headerBlock,
      raw: data,
    });
    accept(message);
    callback(null, `OK: kept as ${id}`);
  });
}
