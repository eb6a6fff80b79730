import { useState } from 'react';
import { useRevealedRowFocus } from '@internal/suite-react';
import { Button } from '@material-ui/core';
import { formatCount } from './formatting';

/**
 * Rows a long list shows at first, and adds per "Show more". A responder reads the top of a list;
 * thousands of rows (a busy window of changes, a wide radius) would each be drawn, and redrawn
 * when relative times tick, for nobody to read them.
 */
export const PAGE = 25;

/** "Show more (1,975 not shown)" under a list shown a page at a time; "Loading more…" while read. */
export function ShowMoreButton(props: {
  notShown: number;
  loading?: boolean;
  onClick: () => void;
}) {
  const { notShown, loading = false, onClick } = props;
  return (
    // aria-disabled, not disabled: a disabled button drops the keyboard focus while it reads
    <Button
      size="small"
      aria-disabled={loading}
      onClick={loading ? undefined : onClick}
    >
      {loading
        ? 'Loading more…'
        : `Show more (${formatCount(notShown)} not shown)`}
    </Button>
  );
}

/**
 * The first rows of a list held whole, a page more per `showMore`; `notShown` is what is left.
 * Rows `pinned` says must be seen (a change running at the incident) are shown wherever they
 * are, in the list's order, so paging never hides them. (A list read a page at a time from the
 * backend, as `ImpactedList`'s, keeps its own count.)
 */
export function useShownRows<T>(
  items: T[],
  options: { page?: number; pinned?: (item: T) => boolean } = {},
): {
  shown: T[];
  notShown: number;
  pinnedBeyond: number;
  showMore: () => void;
  /**
   * Props for the row at `index` of `shown`: the first row "Show more" revealed takes the focus
   * (the button moves below it, or goes once nothing is left, and keyboard and screen-reader
   * users would be left on the page's start).
   */
  rowFocus: (index: number) => {
    ref?: (element: HTMLElement | null) => void;
    tabIndex?: number;
  };
} {
  const page = options.page ?? PAGE;
  const [count, setCount] = useState(page);
  const focus = useRevealedRowFocus();
  const pinned = options.pinned;
  const shown =
    items.length <= count
      ? items
      : items.filter((item, i) => i < count || (pinned?.(item) ?? false));
  return {
    shown,
    notShown: items.length - shown.length,
    pinnedBeyond: shown.length - Math.min(count, items.length),
    showMore: () => {
      // the first `count` rows stay where they are: the row at `count` is the first one new
      focus.reveal(count);
      setCount(c => c + page);
    },
    rowFocus: focus.rowFocus,
  };
}
