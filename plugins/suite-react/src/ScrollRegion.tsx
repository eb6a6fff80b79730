import { ReactNode } from 'react';

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
}) {
  const { label, children, minWidth } = props;
  return (
    <div
      role="region"
      // a region that scrolls must take focus to be scrolled by keyboard
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
      tabIndex={0}
      aria-label={`${label}, scrollable`}
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
