import type { ImportView } from '@herald/contract';
import { formatCount } from './format';

/** Still changing: waiting for a worker, or being applied. */
export const isImportLive = (view: Pick<ImportView, 'status'>) =>
  view.status === 'queued' || view.status === 'running';

const COUNTS: [keyof NonNullable<ImportView['counts']>, string][] = [
  ['rows', 'Rows'],
  ['created', 'New contacts'],
  ['updated', 'Updated contacts'],
  ['subscribed', 'Subscribed'],
  ['unsubscribed', 'Unsubscribed'],
  ['suppressed', 'Suppressed'],
  ['keptUnsubscribed', 'Kept unsubscribed'],
  ['unchanged', 'Unchanged'],
  ['errorCount', 'Bad rows'],
];

/** What an import did (or a dry run would do), row by row, as a list of counts. */
export function ImportCounts({
  counts,
  testId,
}: {
  counts: NonNullable<ImportView['counts']>;
  testId: string;
}) {
  return (
    <dl className="counts" data-testid={testId}>
      {COUNTS.map(([key, label]) => (
        <div key={key}>
          <dt>{label}</dt>
          <dd>{formatCount(counts[key])}</dd>
        </div>
      ))}
    </dl>
  );
}

/** "about 40 seconds left", "about 3 minutes left". */
function timeLeft(seconds: number): string {
  if (seconds < 120) return `about ${seconds} second${seconds === 1 ? '' : 's'} left`;
  return `about ${Math.round(seconds / 60)} minutes left`;
}

/**
 * An import's progress: a `<progress>` of rows applied over rows staged, the time left while it
 * runs, and the counts once finished. Rendered on the server; the live script renders it again.
 */
export function ImportProgressPanel({ view }: { view: ImportView }) {
  const total = view.totalRows;
  return (
    <section className="panel" aria-labelledby="progress-heading">
      <h2 id="progress-heading">Progress</h2>
      <div className="field">
        <label htmlFor="import-progress">
          {`${formatCount(view.processedRows)} of ${formatCount(total)} rows applied`}
        </label>
        <progress id="import-progress" max={Math.max(1, total)} value={total > 0 ? view.processedRows : 0}>
          {total > 0 ? `${Math.round((view.processedRows / total) * 100)}%` : '0%'}
        </progress>
      </div>
      <p role="status" data-testid="import-state">
        {view.status === 'queued' && 'Waiting for a worker to start it.'}
        {view.status === 'running' &&
          (view.etaSeconds === null ? 'Being applied.' : `Being applied: ${timeLeft(view.etaSeconds)}.`)}
        {view.status === 'finished' && 'Finished.'}
      </p>
      {view.counts && <ImportCounts counts={view.counts} testId="import-counts" />}
    </section>
  );
}
