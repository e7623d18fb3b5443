import { Link } from '@remix-run/react';
import type { FeedbackReportEntry } from '@herald/contract';
import { formatInstant } from './format';

const CHANNELS: Record<string, string> = {
  'inbound-smtp': 'Inbound mail',
  ses: 'Amazon SES',
  sendgrid: 'SendGrid',
  postmark: 'Postmark',
  mailgun: 'Mailgun',
  api: 'API',
};

/**
 * The latest bounce, complaint and delivery reports as they arrived, matched or not, with what each
 * changed and the message or campaign it concerns. The address is never shown: reports keep only
 * its hash.
 */
export function FeedbackReportsTable({ reports }: { reports: FeedbackReportEntry[] }) {
  if (reports.length === 0) return <p>No reports have arrived yet.</p>;
  return (
    <div className="table-scroll" role="region" aria-labelledby="reports-heading" tabIndex={0}>
      <table className="admin-table" data-testid="feedback-reports">
        <thead>
          <tr>
            <th scope="col">Received</th>
            <th scope="col">Channel</th>
            <th scope="col">Kind</th>
            <th scope="col">Status</th>
            <th scope="col">Matched</th>
            <th scope="col">Effect</th>
            <th scope="col">Message or campaign</th>
          </tr>
        </thead>
        <tbody>
          {reports.map((report) => (
            <tr key={report.id}>
              <td>{formatInstant(report.receivedAt)}</td>
              <td>{CHANNELS[report.channel] ?? report.channel}</td>
              <td>
                <span
                  className={
                    report.kind === 'hard-bounce' || report.kind === 'complaint' ? 'badge bad' : 'badge'
                  }
                >
                  {report.kind}
                </span>
              </td>
              <td>
                {report.status ?? '—'}
                {report.detail && (
                  <>
                    <br />
                    <span className="muted report-detail">{report.detail}</span>
                  </>
                )}
              </td>
              <td>{report.matched ? 'yes' : 'no'}</td>
              <td>{report.effect}</td>
              <td>
                {report.campaignId ? (
                  <Link to={`/admin/campaigns/${report.campaignId}`}>
                    {report.campaignName ?? 'campaign'}
                  </Link>
                ) : report.messageId ? (
                  `${report.class ?? ''} message`.trim()
                ) : (
                  '—'
                )}
                {report.messageId && (
                  <>
                    <br />
                    <code className="muted">{report.messageId}</code>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
