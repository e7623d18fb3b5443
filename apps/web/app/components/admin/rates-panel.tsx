import { Form, Link } from '@remix-run/react';
import type { FeedbackRates, RateSeries } from '@herald/contract';
import type { RateRange } from '~/server/admin/suppressions/rate-ranges.server';
import { formatCount, formatInstant, formatPercent } from './format';
import { RatesChart, type RateLine } from './rates-chart';

const BOUNCE = { label: 'hard bounces', dash: undefined } as const;
const COMPLAINT = { label: 'complaints', dash: '7 4' } as const;
const CAMPAIGN_CHARTS = 3;

/**
 * Hard-bounce and complaint rates per stream and per campaign over the chosen window: charts, then
 * every figure in tables (the charts' text alternative), so nothing is shown only as a picture.
 */
export function RatesPanel({
  rates,
  ranges,
  range,
}: {
  rates: FeedbackRates;
  ranges: RateRange[];
  range: string;
}) {
  const streams: [string, string, RateSeries][] = [
    ['transactional', 'Transactional', rates.streams.transactional],
    ['promotional', 'Promotional', rates.streams.promotional],
  ];
  const streamLines: RateLine[] = [
    line(
      'tx-bounce',
      'Transactional hard bounces',
      '#1d4ed8',
      BOUNCE.dash,
      rates.streams.transactional,
      'bounceRate',
    ),
    line(
      'tx-complaint',
      'Transactional complaints',
      '#1d4ed8',
      COMPLAINT.dash,
      rates.streams.transactional,
      'complaintRate',
    ),
    line(
      'promo-bounce',
      'Promotional hard bounces',
      '#b91c1c',
      BOUNCE.dash,
      rates.streams.promotional,
      'bounceRate',
    ),
    line(
      'promo-complaint',
      'Promotional complaints',
      '#b91c1c',
      COMPLAINT.dash,
      rates.streams.promotional,
      'complaintRate',
    ),
  ];
  const rows: { key: string; name: React.ReactNode; series: RateSeries }[] = [
    ...streams.map(([key, name, series]) => ({ key, name: `${name} stream`, series })),
    ...rates.campaigns.map((campaign) => ({
      key: campaign.id,
      name: <Link to={`/admin/campaigns/${campaign.id}`}>{campaign.name}</Link>,
      series: campaign as RateSeries,
    })),
  ];
  const busy = rows.flatMap((row) =>
    row.series.points
      .filter((point) => point.sent + point.hardBounces + point.complaints > 0)
      .map((point) => ({ row, point })),
  );

  return (
    <section className="panel" aria-labelledby="rates-heading">
      <h2 id="rates-heading">Bounce and complaint rates</h2>
      <p className="muted">
        Messages that hard-bounced (refused for their address, or reported later) and messages complained
        about, over the messages the relay accepted, per {rates.bucket} in UTC. Gmail and Yahoo ask bulk
        senders to keep complaints under 0.3%.
      </p>
      <Form method="get" className="inline-fields" aria-label="Rate window">
        <div className="field">
          <label htmlFor="range">Window</label>
          <select id="range" name="range" defaultValue={range}>
            {ranges.map((option) => (
              <option key={option.key} value={option.key}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-button">
          <button type="submit" className="secondary">
            Show
          </button>
        </div>
      </Form>
      <h3>Per stream</h3>
      <RatesChart id="rates-streams" title="Rates per stream" lines={streamLines} bucket={rates.bucket} />
      {rates.campaigns.slice(0, CAMPAIGN_CHARTS).map((campaign) => (
        <div key={campaign.id}>
          <h3>
            Campaign <Link to={`/admin/campaigns/${campaign.id}`}>{campaign.name}</Link>
          </h3>
          <RatesChart
            id={`rates-${campaign.id}`}
            title={`Rates of the campaign ${campaign.name}`}
            bucket={rates.bucket}
            lines={[
              line(`${campaign.id}-bounce`, 'Hard bounces', '#7c3aed', BOUNCE.dash, campaign, 'bounceRate'),
              line(
                `${campaign.id}-complaint`,
                'Complaints',
                '#7c3aed',
                COMPLAINT.dash,
                campaign,
                'complaintRate',
              ),
            ]}
          />
        </div>
      ))}
      <h3 id="rates-totals-heading">Over the window</h3>
      <div className="table-scroll" role="region" aria-labelledby="rates-totals-heading" tabIndex={0}>
        <table className="admin-table" data-testid="rates-totals">
          <thead>
            <tr>
              <th scope="col">Stream or campaign</th>
              <th scope="col" className="number">
                Sent
              </th>
              <th scope="col" className="number">
                Hard bounces
              </th>
              <th scope="col" className="number">
                Bounce rate
              </th>
              <th scope="col" className="number">
                Complaints
              </th>
              <th scope="col" className="number">
                Complaint rate
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ key, name, series: { totals } }) => (
              <tr key={key}>
                <th scope="row">{name}</th>
                <td className="number">{formatCount(totals.sent)}</td>
                <td className="number">{formatCount(totals.hardBounces)}</td>
                <td className="number">{formatPercent(totals.bounceRate)}</td>
                <td className="number">{formatCount(totals.complaints)}</td>
                <td className="number">{formatPercent(totals.complaintRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details>
        <summary>Every {rates.bucket} with mail or reports, as a table</summary>
        {busy.length === 0 ? (
          <p>Nothing was sent or reported in this window.</p>
        ) : (
          <div className="table-scroll" role="region" aria-label={`Rates per ${rates.bucket}`} tabIndex={0}>
            <table className="admin-table">
              <thead>
                <tr>
                  <th scope="col">{rates.bucket === 'hour' ? 'Hour from' : 'Day'}</th>
                  <th scope="col">Stream or campaign</th>
                  <th scope="col" className="number">
                    Sent
                  </th>
                  <th scope="col" className="number">
                    Hard bounces
                  </th>
                  <th scope="col" className="number">
                    Complaints
                  </th>
                </tr>
              </thead>
              <tbody>
                {busy.map(({ row, point }) => (
                  <tr key={`${row.key}-${point.at}`}>
                    <td>{formatInstant(point.at)}</td>
                    <td>{row.name}</td>
                    <td className="number">{formatCount(point.sent)}</td>
                    <td className="number">
                      {formatCount(point.hardBounces)} ({formatPercent(point.bounceRate)})
                    </td>
                    <td className="number">
                      {formatCount(point.complaints)} ({formatPercent(point.complaintRate)})
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </details>
    </section>
  );
}

function line(
  key: string,
  label: string,
  colour: string,
  dash: string | undefined,
  series: RateSeries,
  rate: RateLine['rate'],
): RateLine {
  return { key, label, colour, ...(dash && { dash }), series, rate };
}
