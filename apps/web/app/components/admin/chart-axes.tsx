import type { ReactNode } from 'react';

/** A console chart's geometry: the SVG's size and the margins around its plot. */
export interface ChartBox {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/**
 * The frame every console chart draws the same way: the value axis and the time axis, the scale's
 * top and zero beside the first, the window's first and last time under the second.
 */
export function ChartAxes({
  box,
  topLabel,
  zeroLabel,
  fromLabel,
  toLabel,
}: {
  box: ChartBox;
  topLabel: ReactNode;
  zeroLabel: ReactNode;
  fromLabel: ReactNode;
  toLabel: ReactNode;
}) {
  const plotBottom = box.height - box.bottom;
  return (
    <>
      <line x1={box.left} y1={box.top} x2={box.left} y2={plotBottom} stroke="#374151" />
      <line x1={box.left} y1={plotBottom} x2={box.width - box.right} y2={plotBottom} stroke="#374151" />
      <text x={box.left - 6} y={box.top + 10} textAnchor="end" fontSize="12" fill="#111827">
        {topLabel}
      </text>
      <text x={box.left - 6} y={plotBottom} textAnchor="end" fontSize="12" fill="#111827">
        {zeroLabel}
      </text>
      <text x={box.left} y={box.height - 8} fontSize="12" fill="#111827">
        {fromLabel}
      </text>
      <text x={box.width - box.right} y={box.height - 8} textAnchor="end" fontSize="12" fill="#111827">
        {toLabel}
      </text>
    </>
  );
}
