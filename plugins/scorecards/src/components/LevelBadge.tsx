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
  // Below the target: outlined in the text colour, not the theme's secondary (white on pink or
  // orange is under 4.5:1 in Backstage's themes).
  const color = rated && !props.below ? 'primary' : 'default';
  return (
    <Chip
      className={classes.badge}
      color={color}
      variant={rated && props.below ? 'outlined' : 'default'}
      label={levelLabel(props.level)}
      data-testid="scorecard-level"
    />
  );
}
