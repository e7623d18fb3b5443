/**
 * The third part of a report: the message it is about, whole (`message/rfc822`) or only its
 * header block (`text/rfc822-headers`, RFC 6522), as mail systems return them. Line ends become CRLF.
 */
export function returnedMessagePart(returned: string | Buffer, { headersOnly = false } = {}): string {
  const text = crlf(returned.toString());
  if (!headersOnly) return `Content-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n${text}`;
  const end = text.indexOf('\r\n\r\n');
  const headers = end < 0 ? text : text.slice(0, end);
  return `Content-Type: text/rfc822-headers\r\n\r\n${headers}\r\n`;
}

export function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}
