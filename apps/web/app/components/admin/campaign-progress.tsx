import type { CampaignProgress } from '~/server/admin/campaigns/load-campaign-progress.server';
import { formatCount } from './format';
import { MessagesChart } from './messages-chart';

/** Still changing: due or sending, or cancelled with messages the scheduler has yet to close. */
export const isCampaignLive = (progress: CampaignProgress) =>
  progress.status === 'scheduled' ||
  progress.status === 'sending' ||
  (progress.status === 'cancelled' && (progress.counts?.queued ?? 0) > 0);

/**
 * Progress of a campaign: a `<progress>` of finished messages over targeted ones, the counts, and
 * the chart. Rendered on the server; the live script renders it again each second.
 */
export function CampaignProgressPanel({ progress }: { progress: CampaignProgress }) {
  const counts = progress.counts;
  const targeted = counts?.targeted ?? 0;
  const finished = targeted - (counts?.queued ?? 0);
  const started = targeted > 0;
  const rows: [string, number][] = counts
    ? [
        ['Targeted', counts.targeted],
        ['Waiting', counts.queued],
        ['Sent', counts.sent],
        ['Suppressed', counts.suppressed],
        ['Failed', counts.failed],
        ['Bounced', counts.bounced],
        ['Unsubscribed', counts.unsubscribed],
        ['Complaints', counts.complained],
      ]
    : [];
  return (
    <section className="panel" aria-labelledby="progress-heading">
      <h2 id="progress-heading">Progress</h2>
      <div className="field">
        <label htmlFor="campaign-progress">
          {started
            ? `${formatCount(finished)} of ${formatCount(targeted)} messages finished`
            : 'Not started: the audience is chosen when the campaign is due'}
        </label>
        <progress id="campaign-progress" max={Math.max(1, targeted)} value={started ? finished : 0}>
          {started ? `${Math.round((finished / targeted) * 100)}%` : '0%'}
        </progress>
      </div>
      <dl className="counts" data-testid="campaign-counts">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{formatCount(value)}</dd>
          </div>
        ))}
      </dl>
      {counts && Object.keys(counts.suppressedByReason).length > 0 && (
        <p className="muted">
          Suppressed because:{' '}
          {Object.entries(counts.suppressedByReason)
            .map(([reason, count]) => `${reason} ${formatCount(count)}`)
            .join(', ')}
          .
        </p>
      )}
      <h3>Messages over time</h3>
      <MessagesChart timeline={progress.timeline} />
    </section>
  );
}
