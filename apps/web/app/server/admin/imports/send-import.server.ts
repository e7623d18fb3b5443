import type { ImportResult, ImportView } from '@herald/contract';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { sendFileAs, type ConsoleCaller } from '../api-client.server';
import { formErrors, type FormErrors } from '../form-errors.server';
import { columnMap, type Column } from './import-columns.server';
import type { ImportFormat } from './import-uploads.server';

/** What the mapping form says: a choice per column (by its place), the categories and the basis. */
export type MappingValues = { fields: string[]; categories: string[]; basis: string };

export function readMappingForm(form: FormData, columns: Column[]): MappingValues {
  return {
    fields: columns.map((_, index) => String(form.get(`field-${index}`) ?? '')),
    categories: form.getAll('categories').map(String),
    basis: String(form.get('basis') ?? ''),
  };
}

export type Sent<T> = { ok: true; body: T } | { ok: false; status: number; errors: FormErrors };

const CONTENT_TYPES: Record<ImportFormat, string> = {
  csv: 'text/csv',
  ndjson: 'application/x-ndjson',
};

/**
 * Streams the file from disk to POST /v1/imports as the signed-in person, with the mapping as
 * `map`: a dry run (200, ImportResult) or a background import (202, ImportView). A refusal (a
 * column the API does not know, no email column, no basis…) comes back as the API worded it.
 */
export async function sendImport<Mode extends 'check' | 'run'>(
  caller: ConsoleCaller,
  file: { path: string; format: ImportFormat },
  columns: Column[],
  values: MappingValues,
  mode: Mode,
): Promise<Sent<Mode extends 'check' ? ImportResult : ImportView>> {
  const query = new URLSearchParams({
    categories: values.categories.join(','),
    basis: values.basis,
    map: JSON.stringify(columnMap(columns, (index) => values.fields[index] ?? '')),
    ...(mode === 'check' ? { dryRun: 'true' } : { background: 'true' }),
  });
  const result = await sendFileAs<Mode extends 'check' ? ImportResult : ImportView>(
    caller,
    `/v1/imports?${query}`,
    {
      body: Readable.toWeb(createReadStream(file.path)) as ReadableStream<Uint8Array>,
      contentType: CONTENT_TYPES[file.format],
    },
  );
  if (result.ok) return { ok: true, body: result.body };
  return {
    ok: false,
    status: result.problem.status,
    errors: formErrors(result.problem, {
      byPath: { basis: 'basis', categories: 'categories' },
    }),
  };
}
