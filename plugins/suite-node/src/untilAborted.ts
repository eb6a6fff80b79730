/**
 * `promise`, or a rejection with the signal's reason (a `TimeoutError` for
 * `AbortSignal.timeout`) once the signal aborts. The suite's service clients put discovery and
 * the service token under the same deadline as the call itself: neither takes a signal, and a
 * token that never comes must not hold a read or a scaffolder task past it.
 */
export function untilAborted<T>(
  promise: Promise<T>,
  signal: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}
