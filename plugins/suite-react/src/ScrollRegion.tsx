import { ReactNode } from 'react';
import { makeStyles } from '@material-ui/core/styles';

/**
 * Shadows on the side that has more to show say that the region scrolls (a scroll bar may be
 * hidden until used, as on macOS): the shadows stay at the region's edges (`scroll`), covers in
 * the surface's colour move with the content (`local`) and hide a shadow once its end is reached.
 */
const useStyles = makeStyles(theme => {
  const hint = (surface: string) => ({
    backgroundColor: surface,
    backgroundImage: [
      `linear-gradient(to right, ${surface} 30%, transparent)`,
      `linear-gradient(to left, ${surface} 30%, transparent)`,
      'radial-gradient(farthest-side at 0 50%, rgba(0, 0, 0, 0.25), transparent)',
      'radial-gradient(farthest-side at 100% 50%, rgba(0, 0, 0, 0.25), transparent)',
    ].join(', '),
    backgroundPosition: 'left center, right center, left center, right center',
    backgroundRepeat: 'no-repeat',
    backgroundSize: '40px 100%, 40px 100%, 14px 100%, 14px 100%',
    backgroundAttachment: 'local, local, scroll, scroll',
  });
  return {
    page: hint(theme.palette.background.default),
    paper: hint(theme.palette.background.paper),
  };
});

/**
 * The region a wide table scrolls sideways in, so a narrow page keeps its own width instead of
 * the whole page scrolling. A region that scrolls must be reachable by keyboard (WCAG 2.1.1):
 * it takes focus and is named "<label>, scrollable".
 */
export function ScrollRegion(props: {
  /** What the table shows ("Kill switches"); the region is named "Kill switches, scrollable". */
  label: string;
  children: ReactNode;
  /** The least width of the content (a CSS length): below it, the region scrolls. */
  minWidth?: string | number;
  /**
   * Shows shadows where the content is wider than the region, drawn for the surface the region
   * sits on (the page or a card's paper: the covers take its colour). Table rows must have no
   * background of their own for the shadows to show.
   */
  scrollHint?: 'page' | 'paper';
}) {
  const { label, children, minWidth, scrollHint } = props;
  const classes = useStyles();
  return (
    <div
      role="region"
      // a region that scrolls must take focus to be scrolled by keyboard
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
      tabIndex={0}
      aria-label={`${label}, scrollable`}
      className={scrollHint ? classes[scrollHint] : undefined}
      style={{ overflowX: 'auto' }}
    >
      {minWidth === undefined ? (
        children
      ) : (
        <div style={{ minWidth }}>{children}</div>
      )}
    </div>
  );
}
