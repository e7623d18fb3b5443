import type { RateBucket, RateSeries } from '@herald/contract';
import { formatInstant, formatPercent } from './format';
import { ChartAxes, type ChartBox } from './chart-axes';

const WIDTH = 640;
const HEIGHT = 220;
const LEFT = 56;
const RIGHT = 12;
const TOP = 12;
const BOTTOM = 30;
const BOX: ChartBox = { width: WIDTH, height: HEIGHT, left: LEFT, right: RIGHT, top: TOP, bottom: BOTTOM };

/** Gmail's and Yahoo's ceiling for bulk senders' spam complaints. */
export const COMPLAINT_CEILING = 0.003;

export type RateLine = {
  key: string;
  label: string;
  /** At least 3:1 against white, as WCAG asks of graphics; the dash tells the lines apart without colour. */
  colour: string;
  dash?: string;
  series: RateSeries;
  rate: 'bounceRate' | 'complaintRate';
};

/**
 * Rates over time as lines, drawn as inline SVG on the server (no script needed). A bucket in which
 * nothing was sent has no rate: the line breaks there, and a lone point is drawn as a dot. The 0.3%
 * complaint ceiling is drawn when it is within the scale. The text alternative gives each line's
 * rate over the whole window; the table under the chart gives every figure.
 */
export function RatesChart({
  id,
  title,
  lines,
  bucket,
}: {
  id: string;
  title: string;
  lines: RateLine[];
  bucket: RateBucket;
}) {
  const points = lines[0]?.series.points ?? [];
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return null;

  const highest = Math.max(
    COMPLAINT_CEILING * 1.5,
    ...lines.flatMap((line) => line.series.points.map((point) => point[line.rate] ?? 0)),
  );
  const top = niceCeiling(highest);
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const x = (index: number) =>
    LEFT + (points.length === 1 ? plotWidth / 2 : (index / (points.length - 1)) * plotWidth);
  const y = (rate: number) => TOP + plotHeight - (rate / top) * plotHeight;
  const summary = lines
    .map((line) => `${line.label}: ${describeRate(line.series.totals[line.rate])}`)
    .join('; ');
  const end = new Date(Date.parse(last.at) + (bucket === 'hour' ? 3600_000 : 86_400_000)).toISOString();

  return (
    <figure className="chart-figure">
      <svg
        className="chart"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>
          {`Per ${bucket} from ${formatInstant(first.at)} to ${formatInstant(
            end,
          )}. Over the whole window, ${summary}.`}
        </desc>
        <ChartAxes
          box={BOX}
          topLabel={formatPercent(top)}
          zeroLabel="0%"
          fromLabel={formatInstant(first.at)}
          toLabel={formatInstant(end)}
        />
        {COMPLAINT_CEILING <= top && (
          <g>
            <line
              x1={LEFT}
              x2={WIDTH - RIGHT}
              y1={y(COMPLAINT_CEILING)}
              y2={y(COMPLAINT_CEILING)}
              stroke="#b45309"
              strokeDasharray="2 4"
            />
            <text
              x={WIDTH - RIGHT}
              y={y(COMPLAINT_CEILING) - 4}
              textAnchor="end"
              fontSize="11"
              fill="#92400e"
            >
              0.3% complaint ceiling
            </text>
          </g>
        )}
        {lines.map((line) => (
          <g key={line.key}>
            {segments(line.series.points.map((point) => point[line.rate])).map((segment) =>
              segment.length === 1 ? (
                <circle
                  key={segment[0]?.index}
                  cx={x(segment[0]?.index ?? 0)}
                  cy={y(segment[0]?.value ?? 0)}
                  r={4}
                  fill={line.colour}
                />
              ) : (
                <polyline
                  key={segment[0]?.index}
                  points={segment.map((point) => `${x(point.index)},${y(point.value)}`).join(' ')}
                  fill="none"
                  stroke={line.colour}
                  strokeWidth={2.5}
                  strokeDasharray={line.dash}
                />
              ),
            )}
          </g>
        ))}
      </svg>
      <ul className="legend" aria-hidden="true">
        {lines.map((line) => (
          <li key={line.key}>
            <svg width="28" height="10" className="legend-line">
              <line
                x1="0"
                y1="5"
                x2="28"
                y2="5"
                stroke={line.colour}
                strokeWidth="3"
                strokeDasharray={line.dash}
              />
            </svg>
            {line.label}
          </li>
        ))}
      </ul>
    </figure>
  );
}

/** Runs of consecutive buckets that have a rate. */
function segments(values: (number | null)[]): { index: number; value: number }[][] {
  const runs: { index: number; value: number }[][] = [];
  let run: { index: number; value: number }[] = [];
  values.forEach((value, index) => {
    if (value === null) {
      if (run.length > 0) runs.push(run);
      run = [];
    } else run.push({ index, value });
  });
  if (run.length > 0) runs.push(run);
  return runs;
}

/** The scale's top: 1, 2 or 5 times a power of ten, just above the highest rate. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((factor) => factor * power >= value) ?? 10;
  return Math.min(1, step * power);
}

const describeRate = (rate: number | null) => (rate === null ? 'nothing sent' : formatPercent(rate));
