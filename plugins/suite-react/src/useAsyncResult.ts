import {
  DependencyList,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';

/** Loading state of one API read. */
export type AsyncResult<T> =
  | {
      loading: true;
      error?: undefined;
      value?: undefined;
      refreshError?: undefined;
    }
  | {
      loading: false;
      error: Error;
      value?: undefined;
      refreshError?: undefined;
    }
  | {
      loading: false;
      error?: undefined;
      value: T;
      /**
       * A `refresh` failed: `value` is the last good answer, kept on screen, and may be out of
       * date. Show this beside it (`RefreshErrorNotice`), not instead of it.
       */
      refreshError?: Error;
    };

/** When to try a failed read again by itself, before showing the error. */
export interface AutoRetry {
  /** Whether this error is worth another try. */
  when: (error: Error) => boolean;
  /** Delays between tries, in milliseconds; their count is the number of retries. */
  delaysMs: number[];
}

/**
 * Runs `load` on mount and whenever `deps` change; the answer of an earlier run that arrives
 * late is dropped, so switching quickly (a grouping, a filter, hops) never shows the rows of the
 * previous one. `retry` starts over from the loading state; `refresh` loads again while the
 * current value stays on screen (after an action on the data shown, e.g. a waiver decided, so
 * the view does not flash). `autoRetry` tries matching errors again by itself, staying in the
 * loading state meanwhile. A `refresh` that fails keeps the value and sets `refreshError`: after
 * a successful write (a waiver approved) a failed reload must not replace the data and the
 * confirmation with an error, leaving the user to guess whether the write happened.
 */
export function useAsyncResult<T>(
  load: () => Promise<T>,
  deps: DependencyList,
  autoRetry?: AutoRetry,
): AsyncResult<T> & { retry: () => void; refresh: () => void } {
  const [state, setState] = useState<AsyncResult<T>>({ loading: true });
  const [attempt, setAttempt] = useState(0);
  const keepValue = useRef(false);
  useEffect(() => {
    let active = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refreshing = keepValue.current;
    if (!refreshing) setState({ loading: true });
    keepValue.current = false;
    const run = (tries: number) => {
      load().then(
        value => active && setState({ loading: false, value }),
        raw => {
          if (!active) return;
          const error = raw instanceof Error ? raw : new Error(String(raw));
          const delay = autoRetry?.delaysMs[tries];
          if (autoRetry && delay !== undefined && autoRetry.when(error)) {
            timer = setTimeout(() => run(tries + 1), delay);
            return;
          }
          setState(previous =>
            refreshing && !previous.loading && previous.error === undefined
              ? { loading: false, value: previous.value, refreshError: error }
              : { loading: false, error },
          );
        },
      );
    };
    run(0);
    return () => {
      active = false;
      if (timer) clearTimeout(timer);
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
