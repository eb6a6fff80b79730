import { act } from 'react';
import { renderHook, waitFor } from '@testing-library/react';
import { useAsyncResult } from './useAsyncResult';

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A read that answers `v1`, fails its second run with `backend down`, then answers `v3`, … */
async function renderFailingSecondRead() {
  let calls = 0;
  const rendered = renderHook(() =>
    useAsyncResult(async () => {
      calls++;
      if (calls === 2) throw new Error('backend down');
      return `v${calls}`;
    }, []),
  );
  await waitFor(() => expect(rendered.result.current.value).toBe('v1'));
  return rendered;
}

describe('useAsyncResult', () => {
  it('loads, then holds the value', async () => {
    const { result } = renderHook(() => useAsyncResult(async () => 'rows', []));
    expect(result.current.loading).toBe(true);
    await waitFor(() => expect(result.current.value).toBe('rows'));
    expect(result.current.loading).toBe(false);
  });

  it('holds a rejection as an Error, and retry starts over from loading', async () => {
    let calls = 0;
    const { result } = renderHook(() =>
      useAsyncResult(() => {
        calls++;
        // a rejection that is not an Error is wrapped in one
        return calls === 1
          ? Promise.reject('backend down')
          : Promise.resolve('rows');
      }, []),
    );
    await waitFor(() =>
      expect(result.current.error?.message).toBe('backend down'),
    );
    act(() => result.current.retry());
    expect(result.current.loading).toBe(true);
    await waitFor(() => expect(result.current.value).toBe('rows'));
  });

  it('drops the answer of an earlier run that arrives after a later one', async () => {
    const runs = { a: deferred<string>(), b: deferred<string>() };
    const { result, rerender } = renderHook(
      ({ key }: { key: 'a' | 'b' }) =>
        useAsyncResult(() => runs[key].promise, [key]),
      { initialProps: { key: 'a' as 'a' | 'b' } },
    );
    rerender({ key: 'b' });
    await act(async () => runs.b.resolve('rows of b'));
    await act(async () => runs.a.resolve('rows of a'));
    expect(result.current.value).toBe('rows of b');
  });

  it('refresh keeps the current value on screen while it loads again', async () => {
    let version = 0;
    const next = deferred<void>();
    const { result } = renderHook(() =>
      useAsyncResult(async () => {
        version++;
        if (version > 1) await next.promise;
        return `v${version}`;
      }, []),
    );
    await waitFor(() => expect(result.current.value).toBe('v1'));
    act(() => result.current.refresh());
    expect(result.current).toMatchObject({ loading: false, value: 'v1' });
    await act(async () => next.resolve());
    await waitFor(() => expect(result.current.value).toBe('v2'));
  });

  it('a refresh that fails keeps the last value and says so; a successful one clears that', async () => {
    const { result } = await renderFailingSecondRead();
    act(() => result.current.refresh());
    await waitFor(() =>
      expect(result.current).toMatchObject({
        loading: false,
        value: 'v1',
        refreshError: new Error('backend down'),
      }),
    );
    expect(result.current.error).toBeUndefined();
    act(() => result.current.refresh());
    await waitFor(() => expect(result.current.value).toBe('v3'));
    expect(result.current).not.toHaveProperty('refreshError');
  });

  it('a retry that fails still shows the error: only a refresh keeps the value', async () => {
    const { result } = await renderFailingSecondRead();
    act(() => result.current.retry());
    await waitFor(() =>
      expect(result.current.error?.message).toBe('backend down'),
    );
    expect(result.current.value).toBeUndefined();
  });

  describe('autoRetry', () => {
    const busy = () => Object.assign(new Error('busy'), { retryable: true });
    const retryBusy = {
      when: (e: Error) => (e as { retryable?: boolean }).retryable === true,
      delaysMs: [1000, 2000],
    };
    afterEach(() => jest.useRealTimers());

    it('tries a matching error again after each delay, loading meanwhile, then shows the last error', async () => {
      jest.useFakeTimers();
      const load = jest.fn().mockRejectedValue(busy());
      const { result } = renderHook(() => useAsyncResult(load, [], retryBusy));
      await act(async () => {
        await jest.advanceTimersByTimeAsync(2999);
      });
      expect(result.current.loading).toBe(true);
      expect(load).toHaveBeenCalledTimes(2);
      await act(async () => {
        await jest.advanceTimersByTimeAsync(1);
      });
      expect(load).toHaveBeenCalledTimes(3);
      expect(result.current).toMatchObject({ loading: false });
      expect(result.current.error?.message).toBe('busy');
    });

    it('stops waiting to retry when unmounted, and a refresh waiting to retry keeps the value', async () => {
      jest.useFakeTimers();
      const load = jest
        .fn()
        .mockResolvedValueOnce('v1')
        .mockRejectedValueOnce(busy())
        .mockResolvedValueOnce('v2');
      const { result, unmount } = renderHook(() =>
        useAsyncResult(load, [], retryBusy),
      );
      await act(async () => {
        await jest.advanceTimersByTimeAsync(0);
      });
      expect(result.current.value).toBe('v1');
      act(() => result.current.refresh());
      await act(async () => {
        await jest.advanceTimersByTimeAsync(500);
      });
      // the refresh failed once and waits to retry: the value stays on screen
      expect(result.current).toMatchObject({ loading: false, value: 'v1' });
      await act(async () => {
        await jest.advanceTimersByTimeAsync(500);
      });
      expect(result.current.value).toBe('v2');

      const never = jest.fn().mockRejectedValue(busy());
      const second = renderHook(() => useAsyncResult(never, [], retryBusy));
      await act(async () => {
        await jest.advanceTimersByTimeAsync(0);
      });
      second.unmount();
      await act(async () => {
        await jest.advanceTimersByTimeAsync(10_000);
      });
      expect(never).toHaveBeenCalledTimes(1);
      unmount();
    });
  });
});
