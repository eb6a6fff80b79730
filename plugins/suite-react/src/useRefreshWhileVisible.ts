import { useEffect, useRef } from 'react';

/**
 * Calls `refresh` every `intervalMs` while the page is visible, and once when it becomes visible
 * again after at least that long: a card read once and left open (a service page through an
 * on-call shift) otherwise showed the changes of when it was opened while its relative times
 * kept moving ("3 h 55 min ago" over a deploy that landed since). Nothing is read while the tab
 * is hidden. `refresh` is `useAsyncResult`'s: the value stays on screen while it reads.
 */
export function useRefreshWhileVisible(
  refresh: () => void,
  intervalMs = 60_000,
): void {
  const latest = useRef(refresh);
  latest.current = refresh;
  useEffect(() => {
    let last = Date.now();
    const visible = () => document.visibilityState !== 'hidden';
    const run = () => {
      last = Date.now();
      latest.current();
    };
    // a tick soon after a read on the tab's return (within half an interval) waits for the next
    const timer = setInterval(() => {
      if (visible() && Date.now() - last >= intervalMs / 2) run();
    }, intervalMs);
    const onVisibility = () => {
      if (visible() && Date.now() - last >= intervalMs) run();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [intervalMs]);
}
