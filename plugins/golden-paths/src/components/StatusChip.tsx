import Chip from '@material-ui/core/Chip';
import CheckIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import HelpIcon from '@material-ui/icons/Help';
import HourglassIcon from '@material-ui/icons/HourglassEmpty';

const GOOD = new Set(['succeeded', 'done', 'approved', 'pass', 'allow']);
const BAD = new Set(['failed', 'rejected', 'fail', 'deny', 'expired']);
const UNKNOWN = new Set(['unknown']);

/** A status as a word with an icon (never colour alone). */
export function StatusChip(props: { status: string; label?: string }) {
  const { status, label = status } = props;
  let icon = <HourglassIcon />;
  let color: 'primary' | 'secondary' | 'default' = 'default';
  if (GOOD.has(status)) {
    icon = <CheckIcon />;
    color = 'primary';
  } else if (BAD.has(status)) {
    icon = <ErrorIcon />;
    color = 'secondary';
  } else if (UNKNOWN.has(status)) {
    icon = <HelpIcon />;
  }
  return (
    <Chip
      size="small"
      variant="outlined"
      color={color}
      icon={icon}
      label={label}
      data-testid="status-chip"
      data-status={status}
    />
  );
}
