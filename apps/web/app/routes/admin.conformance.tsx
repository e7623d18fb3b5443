import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import type { ConformanceReport } from '@herald/contract';
import { formatCount, formatInstant, formatPercent } from '~/components/admin/format';
import { loadConformancePage, readPeriod } from '~/server/admin/conformance/load-conformance-page.server';
import { requireAdminWith } from '~/server/admin/require-admin.server';

export const meta: MetaFunction = () => [{ title: 'Conformance report: Herald console' }];

export const AUDIT_READ = { scope: 'audit', change: false } as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAdminWith(request, AUDIT_READ);
  return loadConformancePage(admin, readPeriod(new URL(request.url)));
}

const CHANNELS: Record<string, string> = {
  'one-click': 'One-click (mail client)',
  'unsubscribe-page': 'Unsubscribe page',
  'preference-center': 'Preference center',
  'account-page': 'Account page',
  mailto: 'Mail to the unsubscribe address',
  support: 'Support (console or API, with a reason)',
  api: 'API',
  complaint: 'Complaint (feedback loop)',
  import: 'Import from an earlier system',
};

function Verdict({ kept, children }: { kept: boolean; children: React.ReactNode }) {
  return (
    <p>
      <span className={`badge ${kept ? 'good' : 'bad'}`}>{kept ? 'kept' : 'broken'}</span> {children}
    </p>
  );
}

function effectText(effect: ConformanceReport['optOuts']['byChannel'][number]['effect']) {
  if (effect.kind === 'same-transaction') return 'in force when the request was answered (same transaction)';
  if (effect.matched === 0) return 'no report matched';
  return `median ${formatCount(effect.medianMs ?? 0)} ms, longest ${formatCount(effect.maxMs ?? 0)} ms (${formatCount(effect.matched)} measured)`;
}

export default function Conformance() {
  const { period, report, problem } = useLoaderData<typeof loader>();
  const query = new URLSearchParams(period).toString();
  return (
    <>
      <div className="page-head">
        <h1>Conformance report</h1>
        {report && (
          <a className="button-link no-print" href={`/admin/conformance/pdf?${query}`}>
            Download PDF
          </a>
        )}
      </div>
      <p>
        What the database shows of the privacy policy&apos;s promises for a period: every opt-out and anything
        that started after it, every required message that was not sent, every campaign against the complaint
        and bounce limits, and every policy change&apos;s notice.
      </p>
      <Form method="get" className="inline-fields no-print">
        <div className="field">
          <label htmlFor="from">From (UTC day)</label>
          <input id="from" name="from" type="date" defaultValue={period.from} required />
        </div>
        <div className="field">
          <label htmlFor="to">To (UTC day, included)</label>
          <input id="to" name="to" type="date" defaultValue={period.to} required />
        </div>
        <div className="field">
          <button type="submit">Show the report</button>
        </div>
      </Form>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      {report && <Report report={report} />}
    </>
  );
}

function Report({ report }: { report: ConformanceReport }) {
  const { optOuts, requiredMail, campaigns, policies, limits } = report;
  return (
    <>
      <p className="muted">
        From {formatInstant(report.period.from)} to {formatInstant(report.period.to)}, made{' '}
        {formatInstant(report.generatedAt)}.
      </p>

      <section className="panel" aria-labelledby="opt-outs">
        <h2 id="opt-outs">Opt-outs</h2>
        <Verdict kept={optOuts.messagesAfter === 0}>
          {formatCount(optOuts.total)} opt-outs; {formatCount(optOuts.messagesAfter)} messages in their scope
          started after one (the promise is none).
        </Verdict>
        {optOuts.byChannel.length > 0 && (
          <div className="table-scroll" role="region" aria-label="Opt-outs by channel" tabIndex={0}>
            <table className="admin-table">
              <thead>
                <tr>
                  <th scope="col">Channel</th>
                  <th scope="col" className="number">
                    Opt-outs
                  </th>
                  <th scope="col">From request to effect</th>
                  <th scope="col" className="number">
                    Messages after
                  </th>
                </tr>
              </thead>
              <tbody>
                {optOuts.byChannel.map((row) => (
                  <tr key={row.channel}>
                    <td>{CHANNELS[row.channel] ?? row.channel}</td>
                    <td className="number">{formatCount(row.optOuts)}</td>
                    <td>{effectText(row.effect)}</td>
                    <td className="number">{formatCount(row.messagesAfter)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {optOuts.breaches.length > 0 && (
          <>
            <h3>Opt-outs a message started after</h3>
            <ul>
              {optOuts.breaches.map((breach) => (
                <li key={breach.consentLogId}>
                  <a href={`/admin/contacts/${breach.contactId}`}>Contact {breach.contactId}</a>,{' '}
                  {CHANNELS[breach.channel] ?? breach.channel}, {breach.category ?? 'all promotional mail'},{' '}
                  {formatInstant(breach.occurredAt)}: messages{' '}
                  {breach.messages
                    .map(
                      (message) =>
                        `${message.messageId} (${message.status}, started ${formatInstant(message.sendStartedAt)})`,
                    )
                    .join('; ')}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section className="panel" aria-labelledby="required-mail">
        <h2 id="required-mail">Required messages</h2>
        <Verdict kept={requiredMail.otherwise === 0}>
          {formatCount(requiredMail.created)} created, {formatCount(requiredMail.sent)} sent,{' '}
          {formatCount(requiredMail.undeliverable)} not sent because the address cannot take mail,{' '}
          {formatCount(requiredMail.otherwise)} not sent for another reason (the promise is none).
        </Verdict>
        {requiredMail.byReason.length > 0 && (
          <div className="table-scroll" role="region" aria-label="Required messages not sent" tabIndex={0}>
            <table className="admin-table">
              <thead>
                <tr>
                  <th scope="col">Status</th>
                  <th scope="col">Reason</th>
                  <th scope="col" className="number">
                    Messages
                  </th>
                  <th scope="col">Undeliverable address</th>
                </tr>
              </thead>
              <tbody>
                {requiredMail.byReason.map((row) => (
                  <tr key={`${row.status}-${row.reason}`}>
                    <td>{row.status}</td>
                    <td>{row.reason || '—'}</td>
                    <td className="number">{formatCount(row.messages)}</td>
                    <td>{row.undeliverable ? 'yes' : <strong>no</strong>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="campaign-rates">
        <h2 id="campaign-rates">Campaigns</h2>
        <Verdict kept={campaigns.every((row) => !row.overComplaintLimit && !row.overBounceLimit)}>
          Complaints held under {formatPercent(limits.complaintRate)} (mailbox providers&apos; limit{' '}
          {formatPercent(limits.mailboxProviderComplaintRate)}), bounces under{' '}
          {formatPercent(limits.bounceRate)}.
        </Verdict>
        {campaigns.length === 0 ? (
          <p>No campaign sent in this period.</p>
        ) : (
          <div className="table-scroll" role="region" aria-label="Campaign rates" tabIndex={0}>
            <table className="admin-table">
              <thead>
                <tr>
                  <th scope="col">Campaign</th>
                  <th scope="col" className="number">
                    Left
                  </th>
                  <th scope="col" className="number">
                    Complaint rate
                  </th>
                  <th scope="col" className="number">
                    Bounce rate
                  </th>
                </tr>
              </thead>
              <tbody>
                {campaigns.map((row) => (
                  <tr key={row.id}>
                    <td>
                      <a href={`/admin/campaigns/${row.id}`}>{row.name}</a>
                    </td>
                    <td className="number">{formatCount(row.left)}</td>
                    <td className="number">
                      {formatPercent(row.complaintRate)}{' '}
                      {row.overComplaintLimit && <span className="badge bad">over</span>}
                    </td>
                    <td className="number">
                      {formatPercent(row.bounceRate)}{' '}
                      {row.overBounceLimit && <span className="badge bad">over</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="policy-notice">
        <h2 id="policy-notice">Policy changes</h2>
        <Verdict
          kept={policies.every(
            (row) => row.notifiedBeforeEffective || Date.parse(row.effectiveAt) > Date.now(),
          )}
        >
          Everyone with an address emailed before each change took effect.
        </Verdict>
        {policies.length === 0 ? (
          <p>No policy version announced or taking effect in this period.</p>
        ) : (
          <div className="table-scroll" role="region" aria-label="Policy versions" tabIndex={0}>
            <table className="admin-table">
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Notice</th>
                  <th scope="col">Everyone emailed</th>
                  <th scope="col" className="number">
                    Coverage at effect
                  </th>
                </tr>
              </thead>
              <tbody>
                {policies.map((row) => (
                  <tr key={row.id}>
                    <td>
                      <a href={`/admin/policies/${row.id}`}>{row.version}</a>
                      <br />
                      <span className="muted">takes effect {formatInstant(row.effectiveAt)}</span>
                    </td>
                    <td>
                      {row.noticeDays === null ? 'not announced' : `${row.noticeDays} days`} (required{' '}
                      {row.requiredNoticeDays})
                      {row.overrideReason && (
                        <>
                          <br />
                          <span className="muted">shorter because: {row.overrideReason}</span>
                        </>
                      )}
                    </td>
                    <td>{row.everyoneEmailedAt ? formatInstant(row.everyoneEmailedAt) : 'not yet'}</td>
                    <td className="number">
                      {formatPercent(row.coverageAtEffective)}{' '}
                      <span className="muted">
                        ({formatCount(row.deliveredBeforeEffective)} of {formatCount(row.reachable)};{' '}
                        {formatCount(row.inAppOnly)} in the app only)
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
