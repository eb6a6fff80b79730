import { DependencyList, useCallback, useEffect, useState } from 'react';

/** Loading state of one API read. */
export type AsyncResult<T> =
  | { loading: true; error?: undefined; value?: undefined }
  | { loading: false; error: Error; value?: undefined }
  | { loading: false; error?: undefined; value: T };

/** When to try a failed read again by itself, before showing the error. */
export interface AutoRetry {
  /** Whether this error is worth another try. */
  when: (error: Error) => boolean;
  /** Delays between tries, in milliseconds; their count is the number of retries. */
  delaysMs: number[];
}

/**
 * The brief index registers an entity a little after the catalog shows its page (the index syncs
 * from the catalog; right after the portal starts that takes ~20 s). The page only renders for an
 * entity the catalog has, so a 404 from the brief API means "not indexed yet": wait and try again
 * instead of showing an error the user would have to dismiss by reloading.
 */
export const RETRY_NOT_YET_INDEXED: AutoRetry = {
  when: error =>
    (error as { response?: { status?: number } }).response?.status === 404,
  delaysMs: [1000, 2000, 4000, 8000, 10000],
};

/**
 * Runs `load` on mount and whenever `deps` change; a late answer of an earlier run is dropped,
 * so switching hops or edge kinds quickly never shows a stale radius. `retry` runs it again;
 * `autoRetry` retries matching errors by itself, staying in the loading state meanwhile.
 */
export function useAsyncResult<T>(
  load: () => Promise<T>,
  deps: DependencyList,
  autoRetry?: AutoRetry,
): AsyncResult<T> & { retry: () => void } {
  const [state, setState] = useState<AsyncResult<T>>({ loading: true });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let active = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setState({ loading: true });
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
          setState({ loading: false, error });
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
  return { ...state, retry };
}
