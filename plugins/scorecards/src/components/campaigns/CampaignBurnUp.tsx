import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { CampaignProgress } from '@internal/plugin-scorecards-common';
import { SparklineFrame, sparklineAxes } from '../SparklineFrame';
import { formatDate } from '../scorecardFormat';
import { describeBurnUp } from './campaignFormat';

const WIDTH = 320;
const HEIGHT = 80;
const PAD = 4;

/** The line of done per day (index → x); a single point is drawn as a short dash. */
export function burnUpPath(
  points: CampaignProgress['doneOverTime'],
  top: number,
): string {
  const { x, y } = sparklineAxes({
    width: WIDTH,
    height: HEIGHT,
    pad: PAD,
    top,
    count: points.length,
  });
  let d = points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i)},${y(p.done)}`)
    .join('');
  if (points.length === 1) d += `H${x(0) + 4}`;
  return d;
}

/**
 * Burn-up of entities done over time (hand-written SVG on the shared sparkline frame): the done
 * line rising toward the grid line of the entities in scope, with the same text beside it and
 * every point in a table under a disclosure.
 */
export function CampaignBurnUp(props: {
  points: CampaignProgress['doneOverTime'];
  inScope: number;
}) {
  const { points, inScope } = props;
  const text = describeBurnUp(points, inScope);
  if (points.length === 0)
    return (
      <Typography variant="body2" color="textSecondary">
        {text}: the backend records one point per day once the campaign has
        started.
      </Typography>
    );
  const top = Math.max(1, inScope, ...points.map(p => p.done));
  return (
    <>
      <Box display="flex" alignItems="center" flexWrap="wrap" gridGap={16}>
        <SparklineFrame
          scale={{
            width: WIDTH,
            height: HEIGHT,
            pad: PAD,
            top,
            count: points.length,
          }}
          label={text}
          testId="campaign-burn-up"
          gridValues={[0, inScope]}
          path={burnUpPath(points, top)}
        />
        <Typography variant="body2" data-testid="campaign-burn-up-summary">
          {text}
        </Typography>
      </Box>
      <details>
        <summary>
          <Typography variant="body2" component="span">
            Done per day
          </Typography>
        </summary>
        <Table size="small" aria-label="Entities done per day">
          <TableHead>
            <TableRow>
              <TableCell>Date</TableCell>
              <TableCell align="right">Done</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {points.map(p => (
              <TableRow key={p.date}>
                <TableCell component="th" scope="row" role="rowheader">
                  {formatDate(p.date)}
                </TableCell>
                <TableCell align="right">{p.done}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </details>
    </>
  );
}
