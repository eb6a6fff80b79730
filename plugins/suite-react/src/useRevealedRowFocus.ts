import { useCallback, useRef, useState } from 'react';

/**
 * Moves the focus to the first row "Show more" revealed, once it is rendered (at once for a
 * list held whole, after the read for one read a page at a time): the button moves below it,
 * or goes once nothing is left, and keyboard and screen-reader users would otherwise be left
 * at the start of the page.
 */
export function useRevealedRowFocus(): {
  reveal: (index: number) => void;
  rowFocus: (index: number) => {
    ref?: (element: HTMLElement | null) => void;
    tabIndex?: number;
  };
} {
  const [focusAt, setFocusAt] = useState<number>();
  const focused = useRef<number>();
  // the same function on every render, so callers may list it as a dependency
  const reveal = useCallback((index: number) => {
    focused.current = undefined;
    setFocusAt(index);
  }, []);
  return {
    reveal,
    rowFocus: index =>
      index === focusAt
        ? {
            ref: element => {
              if (element && focused.current !== index) {
                focused.current = index;
                element.focus();
              }
            },
            tabIndex: -1,
          }
        : {},
  };
}
