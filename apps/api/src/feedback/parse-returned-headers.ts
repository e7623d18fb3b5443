import { parseReportFields } from './parse-report-fields.js';

/** What a report quotes of the message it is about, as far as matching it to Herald's message goes. */
export interface ReturnedHeaders {
  /** `X-Herald-Message-Id`. */
  heraldMessageId: string | null;
  /** `Message-ID`, angle brackets included. */
  messageId: string | null;
  /** The envelope sender the receiving server recorded (`Return-Path`): Herald's `bounce+{token}@…`. */
  returnPath: string | null;
}

/**
 * Reads the headers of the returned message: the `message/rfc822` part of a report, or its
 * `text/rfc822-headers` part (headers only, RFC 6522). Only the header block is read; the body,
 * often the bulk of a report, is never parsed.
 */
export function parseReturnedHeaders(content: Buffer): ReturnedHeaders {
  const text = content.toString('utf8');
  const end = text.search(/\r?\n\r?\n/);
  const [headers = new Map<string, string>()] = parseReportFields(end < 0 ? text : text.slice(0, end));
  return {
    heraldMessageId: headers.get('x-herald-message-id') || null,
    messageId: headers.get('message-id') || null,
    returnPath: headers.get('return-path') || null,
  };
}
