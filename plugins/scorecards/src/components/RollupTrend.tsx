import type { JSX } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { RollupRow } from '@internal/plugin-scorecards-common';
import { RollupGroupBy, RollupHistoryPoint, scorecardsApiRef } from '../api';
import { useAsyncResult } from '@internal/suite-react';
import { SparklineFrame, sparklineAxes } from './SparklineFrame';
import { RollupRowKey } from './RollupRowKey';

const DAY_MS = 86400000;
const WIDTH = 240;
const HEIGHT = 48;
const PAD = 4;

/** Rated entities of a row at or above their expected level: a count, never a weighted index (§2.11). */
export function atExpected(row: RollupRow): {
  atOrAbove: number;
  rated: number;
  /** Whole percent, `null` without rated entities. */
  percent: number | null;
} {
  const rated = row.atOrAboveExpected + row.belowExpected;
  return {
    atOrAbove: row.atOrAboveExpected,
    rated,
    percent:
      rated === 0 ? null : Math.round((100 * row.atOrAboveExpected) / rated),
  };
}

function pointText(p: RollupHistoryPoint): string {
  const { atOrAbove, rated, percent } = atExpected(p.row);
  return percent === null
    ? `no rated entities on ${p.date}`
    : `${percent} % (${atOrAbove} of ${rated}) on ${p.date}`;
}

/**
 * Text of the trend, also the SVG's text alternative: first and last point, and the lowest
 * one when it is neither.
 */
export function describeRollupTrend(
  points: readonly RollupHistoryPoint[],
): string {
  if (points.length === 0) return 'no daily snapshots yet';
  const first = points[0];
  const last = points[points.length - 1];
  const parts = [`from ${pointText(first)}`];
  if (points.length > 1) parts.push(`to ${pointText(last)}`);
  const rated = points.filter(p => atExpected(p.row).percent !== null);
  const lowest = rated.reduce<RollupHistoryPoint | undefined>(
    (low, p) =>
      !low || atExpected(p.row).percent! < atExpected(low.row).percent!
        ? p
        : low,
    undefined,
  );
  if (lowest && lowest !== first && lowest !== last)
    parts.push(`lowest ${pointText(lowest)}`);
  return `At or above expected level ${parts.join(', ')} (${
    points.length
  } daily ${points.length === 1 ? 'snapshot' : 'snapshots'})`;
}

/** The share at expected level per day as a line (hand-written SVG); days without rated entities leave a gap. */
function ShareSparkline(props: {
  points: readonly RollupHistoryPoint[];
  label: string;
}) {
  const { points } = props;
  const scale = {
    width: WIDTH,
    height: HEIGHT,
    pad: PAD,
    top: 100,
    count: points.length,
  };
  const { x, y } = sparklineAxes(scale);
  let d = '';
  // Rated days in a row so far: a run of one (a lone snapshot, or a rated day between days
  // without rated entities) is a move only, which draws nothing, so it gets a short stroke.
  let run = 0;
  const endRun = (last: number) => {
    if (run === 1) d += `H${x(last) + 4}`;
    run = 0;
  };
  points.forEach((p, i) => {
    const { percent } = atExpected(p.row);
    if (percent === null) {
      endRun(i - 1);
      return;
    }
    d += `${run > 0 ? 'L' : 'M'}${x(i)},${y(percent)}`;
    run++;
  });
  endRun(points.length - 1);
  return (
    <SparklineFrame
      scale={scale}
      label={props.label}
      testId="rollup-trend-sparkline"
      gridValues={[0, 50, 100]}
      path={d}
    />
  );
}

/**
 * The daily trend of one rollup row (`GET /rollups/history`, last `days` days): share of rated
 * entities at or above their expected level, as a sparkline with the same text beside it.
 * Loading, empty and error states; an error (403 for a key the caller may not read) stays
 * inside this section and can be retried.
 */
export function RollupTrend(props: {
  groupBy: RollupGroupBy;
  rowKey: string;
  id?: string;
  days?: number;
  /**
   * The table is narrowed by kind, tier, lifecycle, check or campaign: the daily snapshots are
   * of the whole row, so the trend says it does not follow those filters.
   */
  entitiesFiltered?: boolean;
}) {
  const { groupBy, rowKey } = props;
  const days = props.days ?? 90;
  const api = useApi(scorecardsApiRef);
  const result = useAsyncResult(() => {
    const now = Date.now();
    return api.getRollupHistory(groupBy, rowKey, {
      from: new Date(now - (days - 1) * DAY_MS).toISOString().slice(0, 10),
      to: new Date(now).toISOString().slice(0, 10),
    });
  }, [api, groupBy, rowKey, days]);
  const headingId = `${props.id ?? 'rollup-trend'}-heading`;
  // The row as the table names it; the full ref on hover, as on the row's button.
  const name = (
    <span title={rowKey}>
      <RollupRowKey rowKey={rowKey} groupBy={groupBy} />
    </span>
  );

  let body: JSX.Element;
  if (result.loading) body = <Progress />;
  else if (result.error)
    body = (
      <Alert
        severity="error"
        action={
          <Button color="inherit" size="small" onClick={result.retry}>
            Retry trend
          </Button>
        }
      >
        Could not load the trend of {name}: {result.error.message}
      </Alert>
    );
  else if (result.value.length === 0)
    body = (
      <Typography variant="body2" color="textSecondary">
        No daily snapshots of {name} yet. The first is written after the first
        evaluation pass, then one every day at 00:05 UTC.
      </Typography>
    );
  else {
    const text = describeRollupTrend(result.value);
    body = (
      <Box display="flex" alignItems="center" flexWrap="wrap" gridGap={16}>
        <ShareSparkline points={result.value} label={text} />
        <Typography variant="body2" data-testid="rollup-trend-summary">
          {text}
        </Typography>
      </Box>
    );
  }

  return (
    <Box
      component="section"
      id={props.id}
      aria-labelledby={headingId}
      aria-busy={result.loading}
      mt={2}
    >
      <Typography variant="h6" component="h2" id={headingId}>
        Trend of {name} ({days} days)
      </Typography>
      {props.entitiesFiltered && (
        <Typography
          variant="body2"
          color="textSecondary"
          data-testid="rollup-trend-scope"
        >
          The trend counts all of {name}&apos;s entities: daily snapshots are
          kept per row, so the kind, tier, lifecycle, check and campaign filters
          apply to the table only.
        </Typography>
      )}
      {body}
    </Box>
  );
}
