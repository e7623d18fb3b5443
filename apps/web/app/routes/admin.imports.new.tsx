import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import type { ImportPreviewRow, ImportResult } from '@herald/contract';
import { CategoryCheckboxes } from '~/components/admin/category-checkboxes';
import { CsrfField } from '~/components/admin/csrf-field';
import { Field } from '~/components/admin/field';
import { formatCount } from '~/components/admin/format';
import { FormProblem } from '~/components/admin/form-problem';
import type { FormErrors } from '~/server/admin/form-errors.server';
import { ATTRIBUTE, IMPORT_FIELDS, LEAVE_OUT } from '~/components/admin/import-fields';
import { ImportCounts } from '~/components/admin/import-progress';
import { readColumns, type Column } from '~/server/admin/imports/import-columns.server';
import { RUN_IMPORTS } from '~/server/admin/imports/import-powers.server';
import {
  claimUpload,
  discardUpload,
  findUpload,
  uploadPath,
  type Upload,
} from '~/server/admin/imports/import-uploads.server';
import { readMappingForm, sendImport, type MappingValues } from '~/server/admin/imports/send-import.server';
import { requireAdminFormWith, requireAdminWith } from '~/server/admin/require-admin.server';
import { db } from '~/server/db.server';

export const meta: MetaFunction = () => [{ title: 'Map the columns: Herald console' }];

type Opened =
  | { ok: true; upload: Upload; columns: Column[] }
  | { ok: false; kind: 'gone' }
  | { ok: false; kind: 'unreadable'; upload: Upload; problem: string };

/** The person's upload and its columns, read from the start of the file. */
async function openUpload(token: string, adminId: string): Promise<Opened> {
  const upload = await findUpload(token, adminId);
  if (!upload) return { ok: false, kind: 'gone' };
  const read = await readColumns(uploadPath(upload), upload.format).catch(() => null);
  if (!read) return { ok: false, kind: 'gone' };
  if (!read.ok) return { ok: false, kind: 'unreadable', upload, problem: read.problem };
  return { ok: true, upload, columns: read.columns };
}

const describeFile = (upload: Upload) => ({
  filename: upload.filename,
  format: upload.format,
  size: upload.size,
});

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, RUN_IMPORTS);
  const token = new URL(request.url).searchParams.get('upload') ?? '';
  const opened = await openUpload(token, admin.id);
  if (!opened.ok && opened.kind === 'gone') return data({ kind: 'gone' as const }, { status: 404 });
  if (!opened.ok) {
    return data(
      { kind: 'unreadable' as const, file: describeFile(opened.upload), problem: opened.problem },
      { status: 422 },
    );
  }
  const categories = await db.category.findMany({
    where: { class: 'promotional' },
    orderBy: { key: 'asc' },
    select: { key: true, name: true },
  });
  const { upload, columns } = opened;
  return {
    kind: 'ready' as const,
    token,
    file: describeFile(upload),
    columns,
    categories,
    values: {
      fields: columns.map((column) => column.guess),
      categories: upload.categories,
      basis: upload.basis,
    } satisfies MappingValues,
  };
}

type Outcome =
  | { kind: 'checked'; result: ImportResult; values: MappingValues }
  | { kind: 'refused'; errors: FormErrors; values: MappingValues };

/**
 * "Check (dry run)" sends the file with the mapping and shows what the import would do; "Run
 * import" sends it for a worker to apply, deletes the upload and opens the import's page. A refusal
 * of the API is shown above the form as it worded it (400), and nothing is imported.
 */
export async function action({ request }: ActionFunctionArgs) {
  const { admin, form } = await requireAdminFormWith(request, RUN_IMPORTS);
  const token = String(form.get('upload') ?? new URL(request.url).searchParams.get('upload') ?? '');
  const opened = await openUpload(token, admin.id);
  // Gone (imported already, older than a day) or unreadable: the page says so.
  if (!opened.ok) return redirect(`/admin/imports/new?upload=${encodeURIComponent(token)}`, 303);
  const { upload, columns } = opened;
  const values = readMappingForm(form, columns);
  const intent = String(form.get('intent') ?? 'check');
  if (intent === 'run') {
    const claimed = await claimUpload(upload);
    // Sent already (a second click): the upload is gone, and the page says so.
    if (!claimed) return redirect(`/admin/imports/new?upload=${encodeURIComponent(token)}`, 303);
    let sent;
    try {
      sent = await sendImport(admin, { path: claimed.path, format: upload.format }, columns, values, 'run');
    } catch (error) {
      await claimed.release();
      throw error;
    }
    if (sent.ok) {
      await discardUpload(upload.token);
      return redirect(`/admin/imports/${sent.body.id}`, 303);
    }
    await claimed.release();
    return data<Outcome>({ kind: 'refused', errors: sent.errors, values }, { status: 400 });
  }
  const sent = await sendImport(
    admin,
    { path: uploadPath(upload), format: upload.format },
    columns,
    values,
    'check',
  );
  if (!sent.ok) return data<Outcome>({ kind: 'refused', errors: sent.errors, values }, { status: 400 });
  return data<Outcome>({ kind: 'checked', result: sent.body, values });
}

export default function MapColumns() {
  const page = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  if (page.kind === 'gone') {
    return (
      <>
        <h1>This upload is gone</h1>
        <p>
          It was imported already, or it is older than a day, or it was uploaded by someone else. Nothing was
          imported from this page.
        </p>
        <p>
          <Link to="/admin/imports">Upload the file again</Link>
        </p>
      </>
    );
  }
  if (page.kind === 'unreadable') {
    return (
      <>
        <h1>Map the columns</h1>
        <FileLine file={page.file} />
        <div role="alert" className="notice error">
          <p>{page.problem}</p>
        </div>
        <p>
          <Link to="/admin/imports">Upload another file</Link>
        </p>
      </>
    );
  }
  const values = outcome?.values ?? page.values;
  const refused = outcome?.kind === 'refused' ? outcome.errors : undefined;
  return (
    <>
      <p>
        <Link to="/admin/imports">All imports</Link>
      </p>
      <h1>Map the columns</h1>
      <FileLine file={page.file} />
      {outcome?.kind === 'checked' && <DryRun result={outcome.result} />}
      <Form method="post" className="panel" aria-labelledby="mapping-heading">
        <h2 id="mapping-heading">What each column holds</h2>
        <CsrfField />
        <input type="hidden" name="upload" value={page.token} />
        <FormProblem errors={refused} />
        <p className="hint">
          A column left out is not imported. An attribute is kept on the contact, for campaign audiences.
        </p>
        {page.columns.map((column, index) => (
          <Field
            key={column.name}
            id={`field-${index}`}
            label={`Column “${column.name}”`}
            hint={column.example ? `First row: ${column.example}` : 'Empty in the first row'}
          >
            {(control) => (
              <select name={`field-${index}`} defaultValue={values.fields[index] ?? LEAVE_OUT} {...control}>
                {IMPORT_FIELDS.map((field) => (
                  <option key={field.value} value={field.value}>
                    {field.label}
                  </option>
                ))}
                <option value={ATTRIBUTE}>Attribute “{column.attribute}”</option>
                <option value={LEAVE_OUT}>Leave out</option>
              </select>
            )}
          </Field>
        ))}
        <fieldset className="field">
          <legend>Subscribe to these categories</legend>
          {refused?.fields.categories && <p className="field-error">{refused.fields.categories}</p>}
          <CategoryCheckboxes categories={page.categories} checked={values.categories} />
        </fieldset>
        <Field
          id="import-basis"
          label="Consent basis"
          hint="How these people agreed to hear from you, kept as proof with each subscription."
          error={refused?.fields.basis}
        >
          {(control) => (
            <textarea
              name="basis"
              maxLength={1000}
              rows={2}
              className="prose"
              defaultValue={values.basis}
              {...control}
            />
          )}
        </Field>
        <p className="actions">
          <button type="submit" name="intent" value="check" className="secondary">
            Check (dry run)
          </button>
          <button type="submit" name="intent" value="run">
            Run import
          </button>
        </p>
      </Form>
    </>
  );
}

function FileLine({ file }: { file: { filename: string; format: string; size: number } }) {
  return (
    <p className="muted">
      {file.filename} ({file.format === 'csv' ? 'CSV' : 'NDJSON'}, {formatBytes(file.size)})
    </p>
  );
}

const formatBytes = (bytes: number) =>
  bytes < 1024
    ? `${formatCount(bytes)} bytes`
    : bytes < 1024 * 1024
      ? `${formatCount(Math.ceil(bytes / 1024))} KiB`
      : `${formatCount(Math.ceil(bytes / (1024 * 1024)))} MiB`;

function DryRun({ result }: { result: ImportResult }) {
  return (
    <section className="panel" aria-labelledby="dry-run-heading">
      <h2 id="dry-run-heading">What the import would do</h2>
      <p role="status" className="notice">
        A dry run: nothing was written. “Kept unsubscribed” are addresses Herald knows opted out, were
        suppressed or erased; the import leaves them so.
      </p>
      <ImportCounts counts={result} testId="dry-run-counts" />
      <h3 id="preview-heading">The first rows</h3>
      <div className="table-scroll" role="region" aria-labelledby="preview-heading" tabIndex={0}>
        <table className="admin-table" data-testid="dry-run-preview">
          <thead>
            <tr>
              <th scope="col" className="number">
                Line
              </th>
              <th scope="col">Address</th>
              <th scope="col">Status</th>
              <th scope="col">What it would do</th>
            </tr>
          </thead>
          <tbody>
            {result.preview.map((row) => (
              <tr key={row.line}>
                <td className="number">{row.line}</td>
                <td className="address">{row.email ?? '—'}</td>
                <td>{row.status ?? '—'}</td>
                <td>{describeOutcome(row)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {result.errorCount > 0 && (
        <>
          <h3>
            {result.errorCount === 1
              ? 'One row cannot be imported'
              : `${formatCount(result.errorCount)} rows cannot be imported`}
          </h3>
          <ul data-testid="dry-run-errors">
            {result.errors.map((error) => (
              <li key={error.line}>
                Line {error.line}: {error.message}
              </li>
            ))}
          </ul>
          {result.errorCount > result.errors.length && (
            <p className="muted">The first {result.errors.length} are listed; the import skips them all.</p>
          )}
        </>
      )}
    </section>
  );
}

const OUTCOME_WORDS: Record<string, string> = {
  created: 'new contact',
  updated: 'updates the contact',
  subscribed: 'subscribed',
  unsubscribed: 'unsubscribed',
  suppressed: 'suppressed',
  keptUnsubscribed: 'kept unsubscribed',
  unchanged: 'unchanged',
};

/** "created, subscribed" in words; anything else is why the row cannot be imported. */
function describeOutcome(row: ImportPreviewRow): string {
  const parts = row.outcome.split(', ');
  if (parts.every((part) => part in OUTCOME_WORDS))
    return parts.map((part) => OUTCOME_WORDS[part]).join(', ');
  return `not imported: ${row.outcome}`;
}
