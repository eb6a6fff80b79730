import { useId } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import type { Transition } from '@internal/plugin-scorecards-common';
import type { LevelPoint } from '../api';
import { SparklineFrame, sparklineAxes } from './SparklineFrame';
import { OutageSpan, describeOutage, outageSpans } from './outageSpans';
import { TREND_RANK as RANK, TREND_TOP_RANK as TOP_RANK } from './trendRank';

const WIDTH = 180;
const HEIGHT = 36;
const PAD = 3;
/** Distance between the hatch lines of an outage band (px). */
const HATCH = 3;
/** Length of the line drawn for a lone day (px). */
const TICK = 4;

/** Runs of equal consecutive levels, for the text alternative of the sparkline. */
export function levelRuns(points: readonly LevelPoint[]) {
  const runs: { level: string; from: string; to: string }[] = [];
  for (const p of points) {
    const last = runs[runs.length - 1];
    if (last && last.level === p.level) last.to = p.date;
    else runs.push({ level: p.level, from: p.date, to: p.date });
  }
  return runs;
}

/** Text alternative: "L2 from 2025-12-15 to 2026-03-11; L1 from 2026-03-12 to 2026-03-14". */
export function describeTrend(points: readonly LevelPoint[]): string {
  if (points.length === 0) return 'no trend yet';
  return levelRuns(points)
    .map(r =>
      r.from === r.to
        ? `${r.level} on ${r.from}`
        : `${r.level} from ${r.from} to ${r.to}`,
    )
    .join('; ');
}

/**
 * The first day with a level when the trend starts without one (the entity was first rated
 * inside the window, §2.10); `undefined` when the trend starts rated or is never rated.
 */
export function firstRatedDate(
  points: readonly LevelPoint[],
): string | undefined {
  if (points[0]?.level !== 'not-rated') return undefined;
  return points.find(p => RANK[p.level] !== undefined)?.date;
}

/**
 * The step line through the ranked points: each day holds its level up to the next day; a day
 * without a rank (`not-rated`) breaks the line. A run of a single day (e.g. an entity first
 * rated today) is a short tick, so it does not vanish as a line of no length.
 */
function stepPath(
  points: readonly LevelPoint[],
  x: (i: number) => number,
  y: (v: number) => number,
): string {
  const runs: number[][] = [];
  points.forEach((p, i) => {
    if (RANK[p.level] === undefined) return;
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1] === i - 1) last.push(i);
    else runs.push([i]);
  });
  const yOf = (i: number) => y(RANK[points[i].level]);
  return runs
    .map(([first, ...rest]) => {
      if (rest.length > 0)
        return `M${x(first)},${yOf(first)}${rest
          .map(i => `H${x(i)}V${yOf(i)}`)
          .join('')}`;
      // A lone day: a tick to the right, or to the left at the right edge.
      const atRightEdge = first === points.length - 1 && first > 0;
      const [from, to] = atRightEdge
        ? [x(first) - TICK, x(first)]
        : [x(first), x(first) + TICK];
      return `M${from},${yOf(first)}H${to}`;
    })
    .join('');
}

/** One level drop as `L2 → L1 on 2026-03-12 (evidence-changed)`. */
function describeRegression(t: Transition): string {
  return `${t.from ?? '—'} → ${t.to} on ${t.at.slice(0, 10)} (${t.cause})`;
}

/**
 * The x range of the band of an outage span: from the day of the drop to the day the level was
 * back (the step line rises there), or to the right edge while it is still lower. A band
 * narrower than a tick (a drop on the last day) is widened to one, leftwards at the right edge.
 */
function bandRange(
  span: OutageSpan,
  last: number,
  x: (i: number) => number,
): [number, number] {
  const from = x(span.start);
  const to = x(span.recoveredAt ?? last);
  if (to - from >= TICK) return [from, to];
  return span.start === last && last > 0
    ? [x(last) - TICK, x(last)]
    : [from, from + TICK];
}

/**
 * The daily level over the trend window as a step line (hand-written SVG, no chart library);
 * team regressions are marked with a dot, and the days an outage held the level lower
 * (`outageDrops`: level rows with cause `source-outage`, never the team's regression, §2.10) are
 * a hatched band behind the line. The SVG has a text alternative listing every run, every
 * regression with its cause and every outage drop. `outageHistoryFailed`: the outage drops
 * could not be read; the line is drawn without bands and a note says so (§7.1).
 */
export function TrendSparkline(props: {
  points: readonly LevelPoint[];
  regressions?: readonly Transition[];
  outageDrops?: readonly Transition[];
  outageHistoryFailed?: boolean;
}) {
  const theme = useTheme();
  // one pattern per sparkline: ids are document-wide, and `url(#…)` does not take colons
  const hatchId = `trend-outage-hatch-${useId().replace(/:/g, '')}`;
  const { points } = props;
  if (points.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No trend yet
      </Typography>
    );
  }
  const scale = {
    width: WIDTH,
    height: HEIGHT,
    pad: PAD,
    top: TOP_RANK,
    count: points.length,
  };
  const { x, y } = sparklineAxes(scale);

  const d = stepPath(points, x, y);

  const levelRegressions = (props.regressions ?? []).filter(
    t => t.checkId === null,
  );
  const markers = levelRegressions
    .map(t => ({
      index: points.findIndex(p => p.date === t.at.slice(0, 10)),
      t,
    }))
    .filter(m => m.index >= 0);
  // The dots and their causes are drawn only for sighted users; say them in the text alternative.
  const drops = [...levelRegressions]
    .sort((a, b) => a.at.localeCompare(b.at))
    .map(describeRegression);
  const outages = outageSpans(points, props.outageDrops ?? []);
  const outageTexts = outages.map(o => describeOutage(o, points));
  // Days before the first evaluation are not-rated (§2.10): say since when there is a level.
  const firstRated = firstRatedDate(points);
  const label = `Level over ${points.length} day${
    points.length === 1 ? '' : 's'
  }${firstRated ? `, first rated on ${firstRated}` : ''}: ${describeTrend(
    points,
  )}${drops.length ? `; regressions: ${drops.join('; ')}` : ''}${
    outageTexts.length ? `; outages: ${outageTexts.join('; ')}` : ''
  }`;
  const hatched = outages.filter(o => o.recoveredAt !== o.start);
  const underlay = hatched.length > 0 && (
    <>
      <defs>
        <pattern
          id={hatchId}
          width={HATCH}
          height={HATCH}
          patternUnits="userSpaceOnUse"
          patternTransform="rotate(45)"
        >
          <line
            x1={0}
            y1={0}
            x2={0}
            y2={HATCH}
            stroke={theme.palette.text.secondary}
            strokeWidth={1}
          />
        </pattern>
      </defs>
      {hatched.map(o => {
        const [from, to] = bandRange(o, points.length - 1, x);
        return (
          <rect
            key={`${o.drop.at}-${o.start}`}
            data-testid="trend-outage-band"
            x={from}
            width={to - from}
            y={y(TOP_RANK)}
            height={y(0) - y(TOP_RANK)}
            fill={`url(#${hatchId})`}
          >
            <title>{describeOutage(o, points)}</title>
          </rect>
        );
      })}
    </>
  );

  return (
    <Box display="inline-flex" alignItems="center">
      <SparklineFrame
        scale={scale}
        label={label}
        testId="trend-sparkline"
        gridValues={[0, 1, 2, 3, 4]}
        path={d}
        underlay={underlay}
      >
        {markers.map(m => (
          <circle
            key={`${m.t.at}-${m.index}`}
            cx={x(m.index)}
            cy={y(RANK[m.t.to] ?? 0)}
            r={3}
            fill={theme.palette.error.main}
          >
            <title>{describeRegression(m.t)}</title>
          </circle>
        ))}
      </SparklineFrame>
      {firstRated && (
        <Box ml={1}>
          <Typography
            variant="caption"
            color="textSecondary"
            data-testid="trend-first-rated"
          >
            First rated on {firstRated}
          </Typography>
        </Box>
      )}
      {props.outageHistoryFailed && (
        <Box ml={1}>
          <Typography
            variant="caption"
            color="textSecondary"
            data-testid="trend-outage-unread"
          >
            Outage history could not be read; outage drops are not marked
          </Typography>
        </Box>
      )}
    </Box>
  );
}
