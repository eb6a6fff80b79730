import { ReactNode } from 'react';
import { useTheme } from '@material-ui/core/styles';

/** Size of a sparkline and the scale of its points (index → x, value → y). */
export interface SparklineScale {
  width: number;
  height: number;
  pad: number;
  /** the value drawn at the top edge (the bottom edge is 0) */
  top: number;
  /** how many points the x axis spreads over */
  count: number;
}

/** The x of point `i` and the y of value `v` on `scale`. */
export function sparklineAxes(scale: SparklineScale) {
  const { width, height, pad, top, count } = scale;
  const step = count > 1 ? (width - 2 * pad) / (count - 1) : 0;
  return {
    x: (i: number) => pad + i * step,
    y: (v: number) => height - pad - (v / top) * (height - 2 * pad),
  };
}

/**
 * The frame both sparklines draw (hand-written SVG, no chart library): an `img` labelled with
 * the whole trend in words, light grid lines at `gridValues`, `underlay` (bands the line must
 * stay visible over), the line `path`, and `children` (markers) on top.
 */
export function SparklineFrame(props: {
  scale: SparklineScale;
  label: string;
  testId: string;
  gridValues: readonly number[];
  path: string;
  underlay?: ReactNode;
  children?: ReactNode;
}) {
  const theme = useTheme();
  const { scale, label, testId, gridValues, path } = props;
  const { width, height, pad } = scale;
  const { y } = sparklineAxes(scale);
  return (
    <svg
      role="img"
      aria-label={label}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      data-testid={testId}
    >
      <title>{label}</title>
      {gridValues.map(v => (
        <line
          key={v}
          x1={pad}
          x2={width - pad}
          y1={y(v)}
          y2={y(v)}
          stroke={theme.palette.divider}
          strokeWidth={0.5}
        />
      ))}
      {props.underlay}
      <path
        d={path}
        fill="none"
        stroke={theme.palette.primary.main}
        strokeWidth={2}
      />
      {props.children}
    </svg>
  );
}
