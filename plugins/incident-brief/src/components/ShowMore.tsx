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
 * (A list read a page at a time from the backend, as `ImpactedList`'s, keeps its own count.)
 */
export function useShownRows<T>(
  items: T[],
  page: number = PAGE,
): { shown: T[]; notShown: number; showMore: () => void } {
  const [count, setCount] = useState(page);
  return {
    shown: items.length > count ? items.slice(0, count) : items,
    notShown: Math.max(0, items.length - count),
    showMore: () => setCount(c => c + page),
  };
}
