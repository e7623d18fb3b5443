import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect, MaxPartSizeExceededError } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import type { ImportView } from '@herald/contract';
import { CategoryCheckboxes } from '~/components/admin/category-checkboxes';
import { CsrfField } from '~/components/admin/csrf-field';
import { Field } from '~/components/admin/field';
import { formatCount, formatInstant } from '~/components/admin/format';
import { FormProblem } from '~/components/admin/form-problem';
import { IMPORT_UPLOAD_LIMIT } from '~/components/admin/import-fields';
import { StatusBadge } from '~/components/admin/status-badge';
import { readApiAs } from '~/server/admin/api-client.server';
import type { FormErrors } from '~/server/admin/form-errors.server';
import { READ_IMPORTS, RUN_IMPORTS } from '~/server/admin/imports/import-powers.server';
import {
  discardUpload,
  keepUpload,
  receiveUpload,
  UploadTooLarge,
} from '~/server/admin/imports/import-uploads.server';
import { requireAdminWith } from '~/server/admin/require-admin.server';
import { db } from '~/server/db.server';
import { requireCsrf } from '~/server/require-csrf.server';

export const meta: MetaFunction = () => [{ title: 'Imports: Herald console' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, READ_IMPORTS);
  const [{ imports }, categories] = await Promise.all([
    readApiAs<{ imports: ImportView[] }>(admin, '/v1/imports?limit=20'),
    db.category.findMany({
      where: { class: 'promotional' },
      orderBy: { key: 'asc' },
      select: { key: true, name: true },
    }),
  ]);
  return { imports, categories };
}

type Values = { categories: string[]; basis: string };
type Outcome = { kind: 'invalid'; errors: FormErrors; values: Values };

const MiB = 1024 * 1024;

/**
 * The upload: the file is streamed to a temporary file (never held in memory), then the mapping
 * step opens on it (post/redirect/get). Nothing is imported here; the API sees the file when the
 * mapping is checked or run.
 */
export async function action({ request }: ActionFunctionArgs) {
  // The role is checked before a byte of the file is read.
  const admin = await requireAdminWith(request, RUN_IMPORTS);
  const refuse = (status: number, errors: FormErrors, values: Values = { categories: [], basis: '' }) =>
    data<Outcome>({ kind: 'invalid', errors, values }, { status });
  if (!/^multipart\/form-data\s*;/i.test(request.headers.get('content-type') ?? '')) {
    // Not a file upload at all (a form sent some other way): checked like any post, then refused.
    requireCsrf(admin, await request.formData().catch(() => new FormData()));
    return refuse(400, { fields: { file: 'Choose a CSV or NDJSON file to upload.' } });
  }
  let received: Awaited<ReturnType<typeof receiveUpload>>;
  try {
    received = await receiveUpload(request);
  } catch (error) {
    if (error instanceof UploadTooLarge) {
      return refuse(413, {
        fields: {
          file: `The file is larger than ${IMPORT_UPLOAD_LIMIT / MiB} MiB: split it into smaller files and import each.`,
        },
      });
    }
    if (error instanceof MaxPartSizeExceededError) {
      return refuse(413, { fields: {}, form: 'A field of the form is too long. Nothing was uploaded.' });
    }
    if (error instanceof Error && /multipart|form-?data/i.test(error.message)) {
      return refuse(400, {
        fields: { file: 'The upload arrived incomplete. Choose the file and send it again.' },
      });
    }
    throw error;
  }
  const { form, file } = received;
  try {
    requireCsrf(admin, form);
  } catch (refused) {
    if (file) await discardUpload(file.token);
    throw refused;
  }
  const values: Values = {
    categories: form.getAll('categories').map(String),
    basis: String(form.get('basis') ?? '').trim(),
  };
  if (!file || file.size === 0) {
    if (file) await discardUpload(file.token);
    return refuse(
      422,
      { fields: { file: file ? 'The file is empty.' : 'Choose a CSV or NDJSON file to upload.' } },
      values,
    );
  }
  await keepUpload(file, { adminId: admin.id, filename: file.filename, ...values });
  return redirect(`/admin/imports/new?upload=${file.token}`, 303);
}

export default function Imports() {
  const { imports, categories } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const invalid = outcome?.kind === 'invalid' ? outcome : undefined;
  return (
    <>
      <h1>Imports</h1>
      <p>
        Contacts and their consent from another system, from a CSV file (a header line first) or NDJSON (one
        JSON object per line). After the upload you say what each column holds and check what the import would
        do before anything is written. Addresses Herald knows are unsubscribed, suppressed or erased stay so.
      </p>
      <section className="panel" aria-labelledby="imports-heading">
        <h2 id="imports-heading">Latest imports</h2>
        {imports.length === 0 ? (
          <p>No import yet.</p>
        ) : (
          <div className="table-scroll" role="region" aria-labelledby="imports-heading" tabIndex={0}>
            <table className="admin-table" data-testid="imports">
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">Status</th>
                  <th scope="col">Rows</th>
                  <th scope="col">What it did</th>
                  <th scope="col">By</th>
                </tr>
              </thead>
              <tbody>
                {imports.map((item) => (
                  <tr key={item.id}>
                    <th scope="row">
                      <Link to={`/admin/imports/${item.id}`}>{formatInstant(item.createdAt)}</Link>
                    </th>
                    <td>
                      <StatusBadge status={item.status} />
                    </td>
                    <td className="number">
                      {formatCount(item.processedRows)} of {formatCount(item.totalRows)}
                    </td>
                    <td>{item.counts ? summary(item.counts) : '—'}</td>
                    <td className="address">{item.actor}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <Form method="post" encType="multipart/form-data" className="panel" aria-labelledby="upload-heading">
        <h2 id="upload-heading">New import</h2>
        <CsrfField />
        <FormProblem errors={invalid?.errors} />
        <Field
          id="import-file"
          label="File"
          hint={`CSV (a header line first) or NDJSON (.ndjson, .jsonl), at most ${IMPORT_UPLOAD_LIMIT / MiB} MiB.`}
          error={invalid?.errors.fields.file}
        >
          {(control) => (
            <input
              type="file"
              name="file"
              required
              accept=".csv,.ndjson,.jsonl,text/csv,application/x-ndjson"
              {...control}
            />
          )}
        </Field>
        <fieldset className="field">
          <legend>Subscribe to these categories</legend>
          <p className="hint">
            Rows with status subscribed (or none) are subscribed to them, with the basis below as proof.
          </p>
          <CategoryCheckboxes categories={categories} checked={invalid?.values.categories} />
        </fieldset>
        <Field
          id="import-basis"
          label="Consent basis"
          hint="How these people agreed to hear from you, kept as proof: “double opt-in on example.com, 2019”."
        >
          {(control) => (
            <textarea
              name="basis"
              required
              minLength={3}
              maxLength={1000}
              rows={2}
              className="prose"
              defaultValue={invalid?.values.basis}
              {...control}
            />
          )}
        </Field>
        <button type="submit">Upload and map the columns</button>
      </Form>
    </>
  );
}

function summary(counts: NonNullable<ImportView['counts']>): string {
  const parts: [number, string][] = [
    [counts.created, 'created'],
    [counts.updated, 'updated'],
    [counts.subscribed, 'subscribed'],
    [counts.unsubscribed, 'unsubscribed'],
    [counts.suppressed, 'suppressed'],
    [counts.keptUnsubscribed, 'kept unsubscribed'],
    [counts.errorCount, counts.errorCount === 1 ? 'bad row' : 'bad rows'],
  ];
  const said = parts.filter(([count]) => count > 0).map(([count, word]) => `${formatCount(count)} ${word}`);
  return said.length > 0 ? said.join(', ') : 'nothing changed';
}
