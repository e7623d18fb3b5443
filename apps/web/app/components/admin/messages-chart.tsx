import type { CampaignTimeline as Timeline } from '@herald/contract';
import { formatClock, formatCount } from './format';
import { ChartAxes, type ChartBox } from './chart-axes';

const WIDTH = 640;
const HEIGHT = 220;
const LEFT = 48;
const RIGHT = 8;
const TOP = 10;
const BOTTOM = 30;
const BOX: ChartBox = { width: WIDTH, height: HEIGHT, left: LEFT, right: RIGHT, top: TOP, bottom: BOTTOM };

/** Colours with at least 3:1 contrast against white, as WCAG asks of graphics. */
export const SERIES = [
  { key: 'sent', label: 'Sent', colour: '#1d4ed8' },
  { key: 'suppressed', label: 'Suppressed', colour: '#6b7280' },
  { key: 'failed', label: 'Failed or bounced', colour: '#b91c1c' },
] as const;

/**
 * Messages finished per interval as stacked bars, drawn as inline SVG on the server (no script
 * needed); the live script re-renders it from the same timeline. Its text alternative says the
 * totals and the time span.
 */
export function MessagesChart({ timeline }: { timeline: Timeline }) {
  const points = timeline.points.map((point) => ({
    at: Date.parse(point.at),
    sent: point.sent,
    suppressed: point.suppressed,
    failed: point.failed + point.bounced,
  }));
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return <p className="muted">No messages have finished yet.</p>;

  const bucketMs = timeline.bucketSeconds * 1000;
  // At least 30 slots wide, so that a short campaign's few bars do not fill the whole chart.
  const slots = Math.max(30, Math.round((last.at - first.at) / bucketMs) + 1);
  const highest = Math.max(1, ...points.map((p) => p.sent + p.suppressed + p.failed));
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const barWidth = plotWidth / slots;
  const y = (value: number) => (value / highest) * plotHeight;
  const totals = SERIES.map(
    (series) =>
      `${formatCount(points.reduce((sum, p) => sum + p[series.key], 0))} ${series.label.toLowerCase()}`,
  );
  const endIso = new Date(last.at + bucketMs).toISOString();

  return (
    <figure className="chart-figure">
      <svg
        className="chart"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby="chart-title chart-desc"
      >
        <title id="chart-title">Messages finished over time</title>
        <desc id="chart-desc">
          {`${totals.join(', ')} between ${formatClock(new Date(first.at).toISOString())} and ${formatClock(
            endIso,
          )}, in intervals of ${timeline.bucketSeconds} seconds.`}
        </desc>
        <ChartAxes
          box={BOX}
          topLabel={formatCount(highest)}
          zeroLabel="0"
          fromLabel={formatClock(new Date(first.at).toISOString())}
          toLabel={formatClock(endIso)}
        />
        {points.map((point) => {
          const x = LEFT + ((point.at - first.at) / bucketMs) * barWidth;
          let base = TOP + plotHeight;
          return (
            <g key={point.at}>
              {SERIES.map((series) => {
                const height = y(point[series.key]);
                base -= height;
                return height > 0 ? (
                  <rect
                    key={series.key}
                    x={x}
                    y={base}
                    width={Math.max(1, barWidth * 0.9)}
                    height={height}
                    fill={series.colour}
                  />
                ) : null;
              })}
            </g>
          );
        })}
      </svg>
      <ul className="legend" aria-hidden="true">
        {SERIES.map((series) => (
          <li key={series.key}>
            <span className="swatch" style={{ background: series.colour }} />
            {series.label}
          </li>
        ))}
      </ul>
    </figure>
  );
}
