import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import type { LevelValue } from '@internal/plugin-scorecards-common';
import { levelLabel } from './scorecardFormat';

const useStyles = makeStyles(theme => ({
  badge: { fontWeight: theme.typography.fontWeightBold as number },
}));

/** The level as text ("L1 · Operable", "none · L0 not met", "not-rated"); colour only repeats it. */
export function LevelBadge(props: { level: LevelValue; below?: boolean }) {
  const classes = useStyles();
  const rated = props.level !== 'not-rated';
  let color: 'default' | 'primary' | 'secondary' = 'default';
  if (rated) color = props.below ? 'secondary' : 'primary';
  return (
    <Chip
      className={classes.badge}
      color={color}
      label={levelLabel(props.level)}
      data-testid="scorecard-level"
    />
  );
}
