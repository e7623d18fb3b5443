import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { DomainError } from '../core/domain-error.js';

/** The most an import body may hold, counted as it streams. */
export const IMPORT_BODY_LIMIT = 512 * 1024 * 1024;

/** The longest record (a CSV record or an NDJSON line) read: an unclosed quote must not fill memory. */
const RECORD_LIMIT = 1024 * 1024;

/** Thrown when the body passes the limit; the error filter answers it 413 (as body-parser's own). */
export class ImportTooLargeError extends Error {
  readonly type = 'entity.too.large';
  readonly status = 413;
  constructor(readonly limit: number) {
    super(`An import body may be at most ${limit} bytes.`);
  }
}

/** The body as UTF-8 text, chunk by chunk, never whole; past `limit` bytes it throws ImportTooLargeError. */
export async function* decodeBody(body: Readable, limit = IMPORT_BODY_LIMIT): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let bytes = 0;
  for await (const chunk of body) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    bytes += buffer.length;
    if (bytes > limit) throw new ImportTooLargeError(limit);
    const text = decoder.write(buffer);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

export interface CsvRecord {
  /** The line the record starts on (1 is the header). */
  line: number;
  fields: string[];
}

const tooLong = (line: number) =>
  new DomainError(
    'invalid_request',
    `Line ${line}: a record is longer than ${RECORD_LIMIT} characters (an unclosed quote?); nothing after it was read.`,
  );

/**
 * RFC 4180 records from text chunks: fields separated by commas, quoted fields may hold commas,
 * line breaks and doubled quotes; records end with CRLF, LF or CR. Blank lines are skipped.
 */
export async function* csvRecords(chunks: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  let fields: string[] = [];
  let field = '';
  let size = 0;
  /** Inside a quoted field; `quoteEnded`: just after a quote in one (a doubled quote, or its end). */
  let quoted = false;
  let quoteEnded = false;
  let fieldStart = true;
  let line = 1;
  let recordLine = 1;
  let afterCr = false;

  const endRecord = (): CsvRecord | null => {
    fields.push(field);
    const record = fields.length === 1 && fields[0] === '' ? null : { line: recordLine, fields };
    fields = [];
    field = '';
    size = 0;
    fieldStart = true;
    return record;
  };

  for await (const chunk of chunks) {
    for (const char of chunk) {
      if (afterCr) {
        afterCr = false;
        if (char === '\n') continue;
      }
      if (fieldStart && fields.length === 0 && field === '') recordLine = line;
      if (++size > RECORD_LIMIT) throw tooLong(recordLine);
      if (quoted) {
        if (quoteEnded) {
          quoteEnded = false;
          if (char === '"') {
            field += '"';
            continue;
          }
          quoted = false;
        } else {
          if (char === '"') quoteEnded = true;
          else {
            if (char === '\r' || (char === '\n' && !field.endsWith('\r'))) line++;
            field += char;
          }
          continue;
        }
      }
      if (char === ',') {
        fields.push(field);
        field = '';
        fieldStart = true;
      } else if (char === '\r' || char === '\n') {
        afterCr = char === '\r';
        line++;
        const record = endRecord();
        if (record) yield record;
      } else if (char === '"' && fieldStart && field === '') {
        quoted = true;
        fieldStart = false;
      } else {
        field += char;
        fieldStart = false;
      }
    }
  }
  if (quoted && !quoteEnded) {
    throw new DomainError('invalid_request', `Line ${recordLine}: a quoted field is never closed.`);
  }
  const record = endRecord();
  if (record) yield record;
}

/** The lines of text chunks (LF or CRLF), numbered from 1; blank lines are skipped. */
export async function* textLines(
  chunks: AsyncIterable<string>,
): AsyncGenerator<{ line: number; text: string }> {
  let rest = '';
  let line = 0;
  for await (const chunk of chunks) {
    rest += chunk;
    let end: number;
    while ((end = rest.indexOf('\n')) !== -1) {
      line++;
      const text = rest.slice(0, end).replace(/\r$/, '');
      rest = rest.slice(end + 1);
      if (text.trim()) yield { line, text };
    }
    if (rest.length > RECORD_LIMIT) throw tooLong(line + 1);
  }
  if (rest.trim()) yield { line: line + 1, text: rest.replace(/\r$/, '') };
}
