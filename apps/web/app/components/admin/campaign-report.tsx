import type { CampaignReport } from '@herald/contract';
import { formatCount, formatInstant, formatPercent } from './format';
import { ChartAxes, type ChartBox } from './chart-axes';

const WIDTH = 640;
const HEIGHT = 200;
const LEFT = 48;
const RIGHT = 12;
const TOP = 12;
const BOTTOM = 30;
const BOX: ChartBox = { width: WIDTH, height: HEIGHT, left: LEFT, right: RIGHT, top: TOP, bottom: BOTTOM };

const perThousand = (value: number | null) => (value === null ? '—' : value.toFixed(1));

/**
 * The campaign report (docs/decisions/022-click-tracking.md): what the mail did, people's clicks
 * apart from machines', over time as a server-drawn SVG (no script needed) with a table of every
 * figure, and by contact locale. The CSV link downloads the same figures.
 */
export function CampaignReportPanel({ report, csvHref }: { report: CampaignReport; csvHref: string }) {
  const machine = Object.entries(report.machineByReason)
    .map(([reason, n]) => `${formatCount(n)} ${MACHINE_REASONS[reason] ?? reason}`)
    .join(', ');
  return (
    <section className="panel" aria-labelledby="report-heading">
      <h2 id="report-heading">Report</h2>
      <dl className="report-figures">
        <dt>Delivered</dt>
        <dd>{formatCount(report.delivered)}</dd>
        <dt>Unique human clicks</dt>
        <dd>
          {formatCount(report.uniqueHumanClicks)} (click rate {formatPercent(report.clickRate)})
        </dd>
        <dt>Unsubscribes</dt>
        <dd>
          {formatCount(report.unsubscribes)} ({perThousand(report.unsubscribesPerThousand)} per thousand
          delivered)
        </dd>
        <dt>Complaints</dt>
        <dd>
          {formatCount(report.complaints)} ({perThousand(report.complaintsPerThousand)} per thousand
          delivered)
        </dd>
        <dt>Bounces</dt>
        <dd>{formatCount(report.bounced)}</dd>
        <dt>Machine clicks</dt>
        <dd>
          {formatCount(report.machineClicks)}
          {machine && ` (${machine})`}: link scanners and prefetchers, never counted as people
        </dd>
      </dl>
      <p>
        <a href={csvHref} download>
          Download the report as CSV
        </a>
      </p>
      <ClicksChart report={report} />
      <h3>Top links</h3>
      {report.topLinks.length === 0 ? (
        <p className="muted">No link has been followed yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Link</th>
              <th scope="col">Unique human clicks</th>
              <th scope="col">Human clicks</th>
              <th scope="col">Machine clicks</th>
            </tr>
          </thead>
          <tbody>
            {report.topLinks.map((link) => (
              <tr key={link.url}>
                <td className="report-link">{link.url}</td>
                <td>{formatCount(link.uniqueHumanClicks)}</td>
                <td>{formatCount(link.humanClicks)}</td>
                <td>{formatCount(link.machineClicks)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>By contact locale</h3>
      <table>
        <thead>
          <tr>
            <th scope="col">Locale</th>
            <th scope="col">Delivered</th>
            <th scope="col">Unique human clicks</th>
            <th scope="col">Click rate</th>
          </tr>
        </thead>
        <tbody>
          {report.byLocale.map((row) => (
            <tr key={row.locale}>
              <td>{row.locale}</td>
              <td>{formatCount(row.delivered)}</td>
              <td>{formatCount(row.uniqueHumanClicks)}</td>
              <td>{formatPercent(row.clickRate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const MACHINE_REASONS: Record<string, string> = {
  'user-agent': 'by a scanner’s user agent',
  head: 'as HEAD requests',
  burst: 'in bursts right after delivery',
};

/** Human and machine clicks per interval as bars, drawn on the server; the table gives every figure. */
function ClicksChart({ report }: { report: CampaignReport }) {
  const { points, bucketSeconds } = report.overTime;
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return null;
  const top = Math.max(1, ...points.map((point) => Math.max(point.humanClicks, point.machineClicks)));
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = plotWidth / points.length;
  const bar = Math.max(1, slot / 2 - 1);
  const y = (n: number) => TOP + plotHeight - (n / top) * plotHeight;
  const end = new Date(Date.parse(last.at) + bucketSeconds * 1000).toISOString();
  const interval = bucketSeconds % 3600 === 0 ? `${bucketSeconds / 3600} h` : `${bucketSeconds / 60} min`;
  return (
    <figure className="chart-figure">
      <svg
        className="report-chart"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby="clicks-chart-title clicks-chart-desc"
      >
        <title id="clicks-chart-title">Clicks over time</title>
        <desc id="clicks-chart-desc">
          {`Per ${interval} from ${formatInstant(first.at)} to ${formatInstant(end)}: ${formatCount(
            report.humanClicks,
          )} human clicks (solid bars) and ${formatCount(report.machineClicks)} machine clicks (hatched bars).`}
        </desc>
        <defs>
          <pattern id="machine-hatch" width="4" height="4" patternUnits="userSpaceOnUse">
            <path d="M0,4 L4,0" stroke="#6b7280" strokeWidth="1.5" />
          </pattern>
        </defs>
        <ChartAxes
          box={BOX}
          topLabel={formatCount(top)}
          zeroLabel="0"
          fromLabel={formatInstant(first.at)}
          toLabel={formatInstant(end)}
        />
        {points.map((point, index) => (
          <g key={point.at}>
            {point.humanClicks > 0 && (
              <rect
                x={LEFT + index * slot + 1}
                y={y(point.humanClicks)}
                width={bar}
                height={TOP + plotHeight - y(point.humanClicks)}
                fill="#1d4ed8"
              />
            )}
            {point.machineClicks > 0 && (
              <rect
                x={LEFT + index * slot + 1 + bar}
                y={y(point.machineClicks)}
                width={bar}
                height={TOP + plotHeight - y(point.machineClicks)}
                fill="url(#machine-hatch)"
                stroke="#6b7280"
              />
            )}
          </g>
        ))}
      </svg>
      <figcaption>
        <details>
          <summary>Clicks per interval</summary>
          <table>
            <thead>
              <tr>
                <th scope="col">From</th>
                <th scope="col">Unique human clicks</th>
                <th scope="col">Human clicks</th>
                <th scope="col">Machine clicks</th>
              </tr>
            </thead>
            <tbody>
              {points
                .filter((point) => point.humanClicks > 0 || point.machineClicks > 0)
                .map((point) => (
                  <tr key={point.at}>
                    <td>{formatInstant(point.at)}</td>
                    <td>{formatCount(point.uniqueHumanClicks)}</td>
                    <td>{formatCount(point.humanClicks)}</td>
                    <td>{formatCount(point.machineClicks)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </details>
      </figcaption>
    </figure>
  );
}
