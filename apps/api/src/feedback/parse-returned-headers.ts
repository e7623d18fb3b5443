import { simpleParser, type AddressObject, type HeaderValue } from 'mailparser';
import { headerText } from './parse-report-fields.js';

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
 * `text/rfc822-headers` part (headers only, RFC 6522), with mailparser like the report itself.
 */
export async function parseReturnedHeaders(content: Buffer): Promise<ReturnedHeaders> {
  const parsed = await simpleParser(content, {
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipImageLinks: true,
    checksumAlgo: false,
    ignoreEmbedded: true,
  });
  return {
    heraldMessageId: headerText(parsed.headers.get('x-herald-message-id')),
    messageId: parsed.messageId?.trim() ?? null,
    returnPath: firstAddress(parsed.headers.get('return-path')),
  };
}

function firstAddress(value: HeaderValue | undefined): string | null {
  const header = (Array.isArray(value) ? value[0] : value) as AddressObject | string | undefined;
  if (!header) return null;
  if (typeof header === 'string') return header.trim();
  return header.value?.[0]?.address ?? headerText(header);
}
