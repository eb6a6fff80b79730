import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { Theme, darken, lighten, makeStyles } from '@material-ui/core/styles';
import type { RollupRow } from '@internal/plugin-scorecards-common';
import { LEVEL_TITLES } from './scorecardFormat';

/** The rated levels in the bar's order, lowest first; `none` is "L0 not met". */
const BAR_LEVELS = ['none', 'L0', 'L1', 'L2', 'L3'] as const;
type BarLevel = (typeof BAR_LEVELS)[number];

/** The levels in the order the text names them (the order of the spec's row and the CSV). */
const TEXT_LEVELS: BarLevel[] = ['L0', 'L1', 'L2', 'L3', 'none'];

/**
 * The counts by level as words: `L0 3, L1 2, L2 1, L3 0, none 1`, then `not rated 2` when the row
 * has entities that are not rated (they are in no segment of the bar).
 */
function levelCountsText(row: RollupRow): string {
  const counts = TEXT_LEVELS.map(l => `${l} ${row.byLevel[l]}`);
  if (row.notRated > 0) counts.push(`not rated ${row.notRated}`);
  return counts.join(', ');
}

/** Each level's share of the row's rated entities, in percent (2 decimals); none without any. */
function levelShares(row: RollupRow): { level: BarLevel; percent: number }[] {
  const rated = BAR_LEVELS.reduce((n, l) => n + row.byLevel[l], 0);
  if (rated === 0) return [];
  return BAR_LEVELS.filter(l => row.byLevel[l] > 0).map(l => ({
    level: l,
    percent: Math.round((row.byLevel[l] / rated) * 10000) / 100,
  }));
}

/**
 * The level badge's colours (LevelBadge: the theme's primary for a rated level, the default
 * chip's grey for `none`), the rated levels as steps of the primary colour from faint (L0) to
 * full (L3): the levels are ordered, so one hue in steps reads as "more" without a legend.
 */
function levelColor(theme: Theme, level: BarLevel): string {
  const dark = theme.palette.type === 'dark';
  if (level === 'none') return theme.palette.grey[dark ? 700 : 300];
  const step = { L0: 0.75, L1: 0.5, L2: 0.25, L3: 0 }[level];
  const primary = theme.palette.primary.main;
  // Faint means towards the page: lighter on a light page, darker on a dark one.
  return dark ? darken(primary, step) : lighten(primary, step);
}

const BAR_WIDTH = 96;

const useStyles = makeStyles(theme => ({
  bar: {
    display: 'flex',
    width: BAR_WIDTH,
    height: 10,
    overflow: 'hidden',
    borderRadius: 2,
    // The outline shows the bar's extent where a faint segment meets the page (WCAG 1.4.11).
    boxShadow: `0 0 0 1px ${theme.palette.text.secondary}`,
    backgroundColor: theme.palette.background.paper,
  },
  segment: {
    height: '100%',
    flexShrink: 1,
    // A segment of 1 in 100 stays visible; the page-coloured gap keeps two steps apart.
    minWidth: 2,
    '& + &': { borderLeft: `1px solid ${theme.palette.background.paper}` },
  },
  none: {
    backgroundColor: levelColor(theme, 'none'),
    // Hatched as well: "L0 not met" is told from a faint L0 by more than a shade of grey.
    backgroundImage: `repeating-linear-gradient(135deg, ${theme.palette.text.secondary} 0 1px, transparent 1px 4px)`,
  },
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(0.5, 1.5),
    marginBottom: theme.spacing(1),
  },
  // A list of its own (screen readers count its items), laid out in the line of the key.
  legendList: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5, 1.5),
    margin: 0,
    padding: 0,
    listStyle: 'none',
  },
  legendItem: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  },
  // A piece of a bar, outlined as the bar is (a faint L0 stays visible on the page).
  swatch: {
    display: 'inline-block',
    width: 14,
    height: 10,
    borderRadius: 2,
    boxShadow: `0 0 0 1px ${theme.palette.text.secondary}`,
  },
  L0: { backgroundColor: levelColor(theme, 'L0') },
  L1: { backgroundColor: levelColor(theme, 'L1') },
  L2: { backgroundColor: levelColor(theme, 'L2') },
  L3: { backgroundColor: levelColor(theme, 'L3') },
}));

/**
 * The row's rated entities by level as a stacked bar (§7.3), lowest level on the left, a segment
 * per level with entities; its name and tooltip give the counts in words (never colour alone).
 * `—` when the row has no rated entity.
 */
export function RollupLevelBar(props: { row: RollupRow }) {
  const classes = useStyles();
  const shares = levelShares(props.row);
  if (shares.length === 0) {
    const notRated = props.row.notRated;
    const text = `no rated entities${
      notRated > 0 ? `, not rated ${notRated}` : ''
    }`;
    return (
      <Tooltip title={text}>
        <span role="img" aria-label={text}>
          —
        </span>
      </Tooltip>
    );
  }
  const text = levelCountsText(props.row);
  return (
    <Tooltip title={text}>
      <span className={classes.bar} role="img" aria-label={text}>
        {shares.map(s => (
          <span
            key={s.level}
            className={`${classes.segment} ${classes[s.level]}`}
            style={{ width: `${s.percent}%` }}
            data-level={s.level}
          />
        ))}
      </span>
    </Tooltip>
  );
}

/** A level in the key: its id and name, `none` as what it means ("none (L0 not met)"). */
function legendLabel(level: BarLevel): string {
  return level === 'none'
    ? `none (${LEVEL_TITLES.none})`
    : `${level} ${LEVEL_TITLES[level]}`;
}

/**
 * The key to the Levels bars, in their order: each level's swatch beside its name, so a bar
 * reads without hovering it or showing the counts by level (the swatch is decoration; the words
 * say the level, never colour alone).
 */
export function RollupLevelLegend() {
  const classes = useStyles();
  return (
    <Typography
      component="div"
      variant="caption"
      color="textSecondary"
      className={classes.legend}
      data-testid="rollup-level-legend"
    >
      <span>Levels bar, share of rated entities from left to right:</span>
      <ul aria-label="Levels bar key" className={classes.legendList}>
        {BAR_LEVELS.map(l => (
          <li key={l} className={classes.legendItem}>
            <span
              aria-hidden="true"
              className={`${classes.swatch} ${classes[l]}`}
              data-level={l}
            />
            {legendLabel(l)}
          </li>
        ))}
      </ul>
      <span>· not-rated entities are not in the bar</span>
    </Typography>
  );
}
