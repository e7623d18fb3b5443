import { open } from 'node:fs/promises';
import { ATTRIBUTE, IMPORT_FIELDS, LEAVE_OUT } from '~/components/admin/import-fields';
import type { ImportFormat } from './import-uploads.server';

/** The start of the file read for its columns: the header (and a first row as an example). */
const HEAD_BYTES = 1024 * 1024;

export type Column = {
  name: string;
  /** The value in the first row, to recognise the column by. */
  example: string;
  /** The attribute it becomes when mapped to one: `plan` for "Plan". */
  attribute: string;
  /** What the form preselects: a field the name already is, or leave it out. */
  guess: string;
};

export type ColumnsRead = { ok: true; columns: Column[] } | { ok: false; problem: string };

/**
 * The file's columns, from its start only: a CSV's header line (and the next for examples), an
 * NDJSON file's first object's keys. Names are trimmed as the API trims them; empty and repeated
 * names are listed once.
 */
export async function readColumns(path: string, format: ImportFormat): Promise<ColumnsRead> {
  const handle = await open(path, 'r');
  let text: string;
  let complete: boolean;
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    complete = bytesRead < HEAD_BYTES;
    // A character cut at the end is left out; a byte-order mark is dropped.
    text = new TextDecoder('utf-8').decode(buffer.subarray(0, bytesRead), { stream: !complete });
  } finally {
    await handle.close();
  }
  const named = format === 'csv' ? csvColumns(text, complete) : ndjsonColumns(text, complete);
  if (!named.ok) return named;
  const seen = new Set<string>();
  const guessed = new Set<string>();
  const columns: Column[] = [];
  for (const { name, example } of named.columns) {
    if (name === '' || seen.has(name)) continue;
    seen.add(name);
    let guess = guessField(name);
    // One column per field: a second "Email" column is left out until someone chooses.
    if (guess !== ATTRIBUTE && guess !== LEAVE_OUT) {
      if (guessed.has(guess)) guess = LEAVE_OUT;
      else guessed.add(guess);
    }
    columns.push({
      name,
      example: example.slice(0, 80),
      attribute: attributeKey(name, columns.length),
      guess,
    });
  }
  if (columns.length === 0) return { ok: false, problem: 'The file’s first line names no column.' };
  return { ok: true, columns };
}

/**
 * The `map` for POST /v1/imports: every column of the file with what the form chose for it (the
 * API leaves out a column mapped to ""). A choice the form does not offer leaves the column out.
 */
export function columnMap(columns: Column[], chosen: (index: number) => string): Record<string, string> {
  const fields = new Set<string>(IMPORT_FIELDS.map((field) => field.value));
  return Object.fromEntries(
    columns.map((column, index) => {
      const choice = chosen(index);
      if (fields.has(choice)) return [column.name, choice];
      if (choice === ATTRIBUTE) return [column.name, `attr.${column.attribute}`];
      return [column.name, ''];
    }),
  );
}

const simplified = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/** Names that already are a field, however written: "Email", "E-mail", "External ID", "time_zone". */
const KNOWN: Record<string, string> = {
  email: 'email',
  emailaddress: 'email',
  name: 'name',
  fullname: 'name',
  externalid: 'externalId',
  locale: 'locale',
  timezone: 'timezone',
  status: 'status',
  consentedat: 'consentedAt',
  source: 'source',
};

function guessField(name: string): string {
  if (/^attr\../.test(name)) return ATTRIBUTE;
  return KNOWN[simplified(name)] ?? LEAVE_OUT;
}

/** `attr.plan` keeps its name; any other column is slugged: "Signup Date" → `signup-date`. */
function attributeKey(name: string, index: number): string {
  if (/^attr\../.test(name)) return name.slice('attr.'.length).slice(0, 64);
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return slug || `column-${index + 1}`;
}

type Named = { ok: true; columns: { name: string; example: string }[] } | { ok: false; problem: string };

function csvColumns(text: string, complete: boolean): Named {
  const [header, first = []] = csvRecords(text, complete, 2);
  if (!header) {
    return {
      ok: false,
      problem: complete
        ? 'The file is empty: a CSV’s first line must name its columns.'
        : 'The first line is longer than 1 MiB: is this a CSV file (a header line first)?',
    };
  }
  return {
    ok: true,
    columns: header.map((name, index) => ({ name: name.trim(), example: first[index] ?? '' })),
  };
}

function ndjsonColumns(text: string, complete: boolean): Named {
  const lines = text.split('\n');
  // The last line may be cut short by the end of what was read.
  if (!complete) lines.pop();
  const index = lines.findIndex((line) => line.trim() !== '');
  if (index === -1) {
    return {
      ok: false,
      problem: complete
        ? 'The file is empty: each line of an NDJSON file is one contact as a JSON object.'
        : 'The first line is longer than 1 MiB: is this an NDJSON file (one JSON object per line)?',
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(lines[index] ?? '');
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      problem: `Line ${index + 1} is not a JSON object: each line of an NDJSON file is one contact, such as {"email": "ada@example.com"}.`,
    };
  }
  return {
    ok: true,
    columns: Object.entries(value).map(([name, example]) => ({
      name,
      example: typeof example === 'string' ? example : example === null ? '' : JSON.stringify(example),
    })),
  };
}

/**
 * The first `wanted` records of CSV text, as the API reads them (RFC 4180: quoted fields may hold
 * commas, line breaks and doubled quotes; CRLF, LF or CR end a record; blank lines are skipped).
 * Only records that end within the text count, unless it is the whole file.
 */
export function csvRecords(text: string, complete: boolean, wanted: number): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStart = true;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push(fields);
    fields = [];
    field = '';
    fieldStart = true;
  };
  for (let i = 0; i < text.length && records.length < wanted; i++) {
    const char = text[i] as string;
    if (quoted) {
      if (char !== '"') field += char;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (char === ',') {
      fields.push(field);
      field = '';
      fieldStart = true;
    } else if (char === '\r' || char === '\n') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      endRecord();
    } else if (char === '"' && fieldStart && field === '') {
      quoted = true;
      fieldStart = false;
    } else {
      field += char;
      fieldStart = false;
    }
  }
  if (complete && !quoted && records.length < wanted && (fields.length > 0 || field !== '')) endRecord();
  return records;
}
