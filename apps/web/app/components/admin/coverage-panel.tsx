import type { PolicyCoverage } from '@herald/contract';
import { formatCount, formatInstant } from './format';

/** Still changing: announced, not yet in effect, and some notices or emails not settled. */
export const isCoverageLive = (coverage: PolicyCoverage) =>
  coverage.status === 'announced' &&
  (coverage.awaitingNotice > 0 || coverage.pending > 0 || !coverage.fanOutDone);

/**
 * Who has been told of a version: counted per contact, so a retried email counts once. "At risk"
 * is the API's verdict: near the effective date, someone reachable has not had the email yet.
 */
export function CoveragePanel({ coverage }: { coverage: PolicyCoverage }) {
  const rows: [string, number][] = [
    ['Contacts', coverage.contacts],
    ['Awaiting notice', coverage.awaitingNotice],
    ['Emailed', coverage.emailed],
    ['Delivered', coverage.delivered],
    ['Still sending', coverage.pending],
    ['Bounced', coverage.bounced],
    ['Failed', coverage.failed],
    ['In-app notice only', coverage.inAppOnly],
    ['Acknowledged', coverage.acknowledged],
  ];
  return (
    <section className="panel" aria-labelledby="coverage-heading">
      <h2 id="coverage-heading">Coverage</h2>
      {coverage.atRisk && (
        <p className="notice error" role="alert">
          <strong>At risk.</strong>{' '}
          {coverage.announcedAt
            ? `${formatCount(
                coverage.undeliveredReachable,
              )} reachable contacts have not had the email yet, and the version takes effect ${formatInstant(
                coverage.effectiveAt,
              )}.`
            : `The version takes effect ${formatInstant(coverage.effectiveAt)} and has not been announced.`}
        </p>
      )}
      <dl className="counts" data-testid="coverage-counts">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{formatCount(value)}</dd>
          </div>
        ))}
      </dl>
      <dl className="detail-list">
        <dt>Delivered before the effective date</dt>
        <dd>{formatCount(coverage.deliveredBeforeEffective)}</dd>
        <dt>Everyone reachable notified before it takes effect</dt>
        <dd>{coverage.notifiedBeforeEffective ? 'Yes' : 'Not yet'}</dd>
        <dt>At risk</dt>
        <dd>
          {coverage.atRisk ? 'Yes' : 'No'}. Checked from {formatInstant(coverage.atRiskFrom)}
          {coverage.atRiskSince && `; first found at risk ${formatInstant(coverage.atRiskSince)}`}.
        </dd>
      </dl>
    </section>
  );
}
