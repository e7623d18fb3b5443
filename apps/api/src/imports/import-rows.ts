import { ImportRowSchema, type ImportRow } from '@herald/contract';
import { DomainError } from '../core/domain-error.js';
import { csvRecords, textLines } from './read-records.js';

/** The fields a row may name; any other CSV column or NDJSON key is `attr.{name}`. */
const FIELDS = ['email', 'name', 'externalId', 'locale', 'timezone', 'status', 'consentedAt', 'source'];
const ATTR = 'attr.';

/** A row of the file, validated, or why it cannot be imported. */
export type ParsedRow = { line: number; row: ImportRow } | { line: number; error: string };

export type ImportFormat = 'csv' | 'ndjson';

/** The format of a Content-Type, or null when imports do not read it. */
export function importFormat(contentType: string | undefined): ImportFormat | null {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (type === 'application/x-ndjson' || type === 'application/ndjson') return 'ndjson';
  return null;
}

/**
 * The file's column names mapped to Herald's fields (`?map=`): a name it gives keeps its column under
 * the field, an empty field leaves the column out (null), a name it does not give keeps its own.
 */
export type ColumnMap = Readonly<Record<string, string>>;

const mapped = (map: ColumnMap, name: string): string | null => {
  const field = Object.hasOwn(map, name) ? (map[name] ?? '').trim() : name;
  return field === '' ? null : field;
};

/** The rows of an import body, one at a time as they stream in. */
export function importRows(
  format: ImportFormat,
  chunks: AsyncIterable<string>,
  map: ColumnMap = {},
): AsyncGenerator<ParsedRow> {
  return format === 'csv' ? csvRows(chunks, map) : ndjsonRows(chunks, map);
}

async function* csvRows(chunks: AsyncIterable<string>, map: ColumnMap): AsyncGenerator<ParsedRow> {
  let header: (string | null)[] | null = null;
  for await (const { line, fields } of csvRecords(chunks)) {
    if (!header) {
      header = fields.map((name) => mapped(map, name.trim()));
      checkHeader(header.filter((name): name is string => name !== null));
      continue;
    }
    if (fields.length !== header.length) {
      yield { line, error: `has ${fields.length} fields where the header has ${header.length}` };
      continue;
    }
    const record: Record<string, string> = {};
    header.forEach((name, index) => {
      const value = fields[index] ?? '';
      if (name !== null && value.trim() !== '') record[name] = value;
    });
    yield validate(line, record);
  }
  if (!header) throw new DomainError('invalid_request', 'The CSV is empty: its first line must be a header.');
}

function checkHeader(header: string[]): void {
  if (!header.includes('email')) {
    throw new DomainError('invalid_request', 'The CSV header has no "email" column.');
  }
  const unknown = header.filter((name) => !FIELDS.includes(name) && !name.startsWith(ATTR));
  if (unknown.length > 0) {
    throw new DomainError(
      'invalid_request',
      `Unknown CSV column(s): ${unknown.join(', ')}. Herald's fields are ${FIELDS.join(', ')}; attributes are named attr.{name}; map= renames a column or leaves it out.`,
    );
  }
  const twice = header.find((name, index) => header.indexOf(name) !== index);
  if (twice) throw new DomainError('invalid_request', `The CSV header names "${twice}" twice.`);
}

async function* ndjsonRows(chunks: AsyncIterable<string>, map: ColumnMap): AsyncGenerator<ParsedRow> {
  for await (const { line, text } of textLines(chunks)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      yield { line, error: 'is not valid JSON' };
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      yield { line, error: 'is not a JSON object' };
      continue;
    }
    const record: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      const name = mapped(map, key);
      if (name !== null && field !== null && field !== '') record[name] = field;
    }
    yield validate(line, record);
  }
}

/** `attr.{name}` fields become the attributes; the rest is checked by ImportRowSchema. */
function validate(line: number, record: Record<string, unknown>): ParsedRow {
  const input: Record<string, unknown> = {};
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key.startsWith(ATTR)) attributes[key.slice(ATTR.length)] = value;
    else input[key] = value;
  }
  if (Object.keys(attributes).length > 0) input.attributes = attributes;
  const result = ImportRowSchema.safeParse(input);
  if (result.success) return { line, row: result.data };
  const issue = result.error.issues[0];
  const path = issue?.path.join('.') ?? '';
  const message =
    issue?.code === 'unrecognized_keys'
      ? `unknown field(s): ${issue.keys.join(', ')}`
      : (issue?.message ?? 'is not a valid row');
  return { line, error: path ? `${path}: ${message}` : message };
}
