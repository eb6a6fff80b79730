import {
  DependencyList,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';

/** Loading state of one API read. */
export type AsyncResult<T> =
  | { loading: true; error?: undefined; value?: undefined }
  | { loading: false; error: Error; value?: undefined }
  | { loading: false; error?: undefined; value: T };

/**
 * Runs `load` on mount and whenever `deps` change; the answer of an earlier run that arrives
 * late is dropped, so switching quickly (a grouping, a filter) never shows the rows of the
 * previous one. `retry` starts over from the loading state; `refresh` loads again while the
 * current value stays on screen (after an action on the data shown, e.g. a waiver decided, so
 * the view does not flash).
 */
export function useAsyncResult<T>(
  load: () => Promise<T>,
  deps: DependencyList,
): AsyncResult<T> & { retry: () => void; refresh: () => void } {
  const [state, setState] = useState<AsyncResult<T>>({ loading: true });
  const [attempt, setAttempt] = useState(0);
  const keepValue = useRef(false);
  useEffect(() => {
    let active = true;
    if (!keepValue.current) setState({ loading: true });
    keepValue.current = false;
    load().then(
      value => active && setState({ loading: false, value }),
      error =>
        active &&
        setState({
          loading: false,
          error: error instanceof Error ? error : new Error(String(error)),
        }),
    );
    return () => {
      active = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, attempt]);
  const retry = useCallback(() => setAttempt(a => a + 1), []);
  const refresh = useCallback(() => {
    keepValue.current = true;
    setAttempt(a => a + 1);
  }, []);
  return { ...state, retry, refresh };
}
