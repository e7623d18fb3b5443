import type { HeaderField } from './types.js';

/** Where the header block ends: the index of the blank line's line break, or -1 if none yet. */
export function findHeaderEnd(data: Buffer): number {
  if (data[0] === 0x0d && data[1] === 0x0a) return 0;
  if (data[0] === 0x0a) return 0;
  const crlf = data.indexOf('\r\n\r\n');
  if (crlf !== -1) return crlf;
  // Some clients and .eml files use bare LF line endings.
  return data.indexOf('\n\n');
}

/** Splits a raw header block into fields, unfolding continuation lines (RFC 5322 §2.2.3). */
export function parseHeaderFields(block: string): HeaderField[] {
  const fields: HeaderField[] = [];
  let current: HeaderField | undefined;
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (current) current.value += line;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      current = undefined;
      continue;
    }
    current = { name: line.slice(0, colon).trim(), value: line.slice(colon + 1) };
    fields.push(current);
  }
  for (const field of fields) field.value = field.value.trim();
  return fields;
}

/** The first field of that name, case-insensitively. */
export function findHeader(fields: ReadonlyArray<HeaderField>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return fields.find((field) => field.name.toLowerCase() === wanted)?.value;
}
