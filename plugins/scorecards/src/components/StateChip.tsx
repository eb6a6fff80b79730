import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import CheckIcon from '@material-ui/icons/CheckCircle';
import CloseIcon from '@material-ui/icons/Cancel';
import HelpIcon from '@material-ui/icons/Help';
import RemoveIcon from '@material-ui/icons/RemoveCircleOutline';
import ShieldIcon from '@material-ui/icons/VerifiedUser';
import type { ResultState } from '@internal/plugin-scorecards-common';

const useStyles = makeStyles(theme => ({
  pass: { color: theme.palette.success.main },
  fail: { color: theme.palette.error.main },
  unknown: { color: theme.palette.warning.main },
  'not-applicable': { color: theme.palette.text.secondary },
  waived: { color: theme.palette.info.main },
}));

const ICONS: Record<ResultState, typeof CheckIcon> = {
  pass: CheckIcon,
  fail: CloseIcon,
  unknown: HelpIcon,
  'not-applicable': RemoveIcon,
  waived: ShieldIcon,
};

/** A result state as icon plus text (never colour alone); unknown is never drawn like pass. */
export function StateChip(props: { state: ResultState; detail?: string }) {
  const classes = useStyles();
  const Icon = ICONS[props.state];
  const label = props.detail ? `${props.state} · ${props.detail}` : props.state;
  return (
    <Chip
      size="small"
      variant="outlined"
      icon={<Icon className={classes[props.state]} aria-hidden />}
      label={label}
      data-testid="state-chip"
      data-state={props.state}
    />
  );
}
