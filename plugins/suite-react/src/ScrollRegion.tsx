import {
  ReactNode,
  RefObject,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { makeStyles } from '@material-ui/core/styles';

/**
 * The shadows are strips laid over the region's edges, not the region's background: the
 * Backstage theme gives the header row and every other body row a background of their own, which
 * covered a background shadow on those rows. `isolation` keeps the strips' `z-index` inside the
 * frame, so they never rise above a header or drawer of the page.
 */
const useStyles = makeStyles(theme => {
  const shade = theme.palette.type === 'dark' ? 0.6 : 0.25;
  return {
    frame: { position: 'relative', isolation: 'isolate' },
    shadow: {
      position: 'absolute',
      top: 0,
      bottom: 0,
      width: 14,
      pointerEvents: 'none',
      zIndex: 1,
    },
    left: {
      left: 0,
      background: `radial-gradient(farthest-side at 0 50%, rgba(0, 0, 0, ${shade}), transparent)`,
    },
    right: {
      right: 0,
      background: `radial-gradient(farthest-side at 100% 50%, rgba(0, 0, 0, ${shade}), transparent)`,
    },
  };
});

/** The sides of a region with content scrolled out of view. */
interface Overflow {
  left: boolean;
  right: boolean;
}

const NO_OVERFLOW: Overflow = { left: false, right: false };

/** Less than a pixel is rounding (a zoomed page scrolls by fractions), not content out of view. */
const SLACK_PX = 1;

function overflowOf(el: HTMLElement): Overflow {
  return {
    left: el.scrollLeft > SLACK_PX,
    right: el.scrollWidth - el.clientWidth - el.scrollLeft > SLACK_PX,
  };
}

/**
 * Which sides of the region have more to show, measured after every render (new rows or columns
 * widen the content without resizing the region), on `measure` (the region's scroll) and when the
 * region or its content is resized (a ResizeObserver, where the browser has one).
 */
function useOverflow(region: RefObject<HTMLElement>, enabled: boolean) {
  const [overflow, setOverflow] = useState(NO_OVERFLOW);
  const measure = useCallback(() => {
    if (!region.current) return;
    const next = overflowOf(region.current);
    setOverflow(prev =>
      prev.left === next.left && prev.right === next.right ? prev : next,
    );
  }, [region]);
  useLayoutEffect(() => {
    if (enabled) measure();
  });
  useEffect(() => {
    const el = region.current;
    if (!enabled || !el || typeof ResizeObserver === 'undefined')
      return undefined;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    // the content: the table, or the `minWidth` box and the table in it
    for (const child of Array.from(el.children)) {
      observer.observe(child);
      for (const grandchild of Array.from(child.children))
        observer.observe(grandchild);
    }
    return () => observer.disconnect();
  }, [region, enabled, measure]);
  return { overflow: enabled ? overflow : NO_OVERFLOW, measure };
}

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
   * Shows a shadow on each side that has more to show (a scroll bar may be hidden until used, as
   * on macOS), over the content and on any surface.
   */
  scrollHint?: boolean;
}) {
  const { label, children, minWidth, scrollHint = false } = props;
  const classes = useStyles();
  const ref = useRef<HTMLDivElement>(null);
  const { overflow, measure } = useOverflow(ref, scrollHint);
  const region = (
    <div
      ref={ref}
      role="region"
      // a region that scrolls must take focus to be scrolled by keyboard
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
      tabIndex={0}
      aria-label={`${label}, scrollable`}
      style={{ overflowX: 'auto' }}
      onScroll={scrollHint ? measure : undefined}
    >
      {minWidth === undefined ? (
        children
      ) : (
        <div style={{ minWidth }}>{children}</div>
      )}
    </div>
  );
  if (!scrollHint) return region;
  return (
    <div className={classes.frame}>
      {region}
      {overflow.left && (
        <div
          aria-hidden
          data-testid="scroll-shadow-left"
          className={`${classes.shadow} ${classes.left}`}
        />
      )}
      {overflow.right && (
        <div
          aria-hidden
          data-testid="scroll-shadow-right"
          className={`${classes.shadow} ${classes.right}`}
        />
      )}
    </div>
  );
}
