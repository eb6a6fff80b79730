import { ReactNode } from 'react';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  dense: { marginBottom: theme.spacing(1) },
}));

/**
 * The row of filters and switches above a page's table or an entity tab's results: controls
 * side by side, wrapping onto a new line on narrow screens rather than scrolling sideways.
 * `dense` leaves less room below, for a tab whose results follow in a card.
 */
export function FilterToolbar(props: { children: ReactNode; dense?: boolean }) {
  const classes = useStyles();
  return (
    <div
      className={
        props.dense ? `${classes.toolbar} ${classes.dense}` : classes.toolbar
      }
    >
      {props.children}
    </div>
  );
}
