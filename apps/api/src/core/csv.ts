import type { Response } from 'express';
import { once } from 'node:events';

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A value a spreadsheet
 * would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe: exports are opened
 * in spreadsheets, and their values are text people typed.
 */
export function csvField(value: unknown): string {
  let text =
    value === null || value === undefined
      ? ''
      : typeof value === 'string'
        ? value
        : value instanceof Date
          ? value.toISOString()
          : typeof value === 'object'
            ? JSON.stringify(value)
            : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line of these values, CRLF-terminated. */
export const csvLine = (values: readonly unknown[]): string => `${values.map(csvField).join(',')}\r\n`;

/**
 * Streams a CSV download: the header line, then each line as `lines` yields it, waiting for the
 * client to drain; it stops when the client goes away. A failure after the first byte can only cut
 * the download short (the connection is destroyed), never pass as a complete file.
 */
export async function streamCsv(
  response: Response,
  { filename, header, lines }: { filename: string; header: readonly string[]; lines: AsyncIterable<string> },
): Promise<void> {
  response.status(200);
  response.setHeader('content-type', 'text/csv; charset=utf-8');
  response.setHeader('content-disposition', `attachment; filename="${filename}"`);
  response.setHeader('cache-control', 'no-store');
  response.write(csvLine(header));
  try {
    for await (const line of lines) {
      if (response.destroyed) return;
      if (!response.write(line)) await Promise.race([once(response, 'drain'), once(response, 'close')]);
    }
    response.end();
  } catch (error) {
    response.destroy(error as Error);
  }
}
