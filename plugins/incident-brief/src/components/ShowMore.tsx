import { useState } from 'react';
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
    <Button size="small" disabled={loading} onClick={onClick}>
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
} {
  const page = options.page ?? PAGE;
  const [count, setCount] = useState(page);
  const pinned = options.pinned;
  const shown =
    items.length <= count
      ? items
      : items.filter((item, i) => i < count || (pinned?.(item) ?? false));
  return {
    shown,
    notShown: items.length - shown.length,
    pinnedBeyond: shown.length - Math.min(count, items.length),
    showMore: () => setCount(c => c + page),
  };
}
