import { simpleParser, type ParsedMail } from 'mailparser';
import { decodeEncodedWords } from './decode-encoded-words.js';
import { findHeader, parseHeaderFields } from './header-block.js';
import type { CaughtMessage, Envelope, HeaderField, KeepMode } from './types.js';

export interface ReceivedMessage {
  id: string;
  receivedAt: number;
  envelope: Envelope;
  keep: KeepMode;
  headerBlock: string;
  /** The whole message; only read when keep is 'all'. */
  raw?: Buffer;
}

/** Builds the stored message. Runs on the receive path, so it does no MIME parsing. */
export function createCaughtMessage(received: ReceivedMessage): CaughtMessage {
  const fields = parseHeaderFields(received.headerBlock);
  const subject = findHeader(fields, 'subject');
  const keptFields: ReadonlyArray<HeaderField> = received.keep === 'count' ? [] : fields;
  const raw = received.keep === 'all' ? received.raw : undefined;
  const headerBlock = received.keep === 'headers' ? received.headerBlock : undefined;
  let parsed: Promise<ParsedMail> | undefined;

  const message: CaughtMessage = {
    id: received.id,
    receivedAt: received.receivedAt,
    envelope: received.envelope,
    header: (name) => findHeader(keptFields, name),
    headers: () => keptFields,
    parse: () => {
      parsed ??= parseKept(raw, headerBlock);
      return parsed;
    },
  };
  const heraldMessageId = findHeader(fields, 'x-herald-message-id');
  if (heraldMessageId !== undefined) message.heraldMessageId = heraldMessageId;
  if (subject !== undefined) message.subject = decodeEncodedWords(subject);
  if (raw) message.raw = raw;
  return message;
}

function parseKept(raw: Buffer | undefined, headerBlock: string | undefined): Promise<ParsedMail> {
  if (raw) return simpleParser(raw);
  if (headerBlock !== undefined) return simpleParser(`${headerBlock}\r\n\r\n`);
  return Promise.reject(new Error("The message body was not kept (keep: 'count')"));
}
