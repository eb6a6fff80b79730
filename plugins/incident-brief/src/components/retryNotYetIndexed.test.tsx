import { act } from 'react';
import { renderHook, waitFor } from '@testing-library/react';
import { useAsyncResult } from '@internal/suite-react';
import { RETRY_NOT_YET_INDEXED } from './retryNotYetIndexed';

const notFound = () =>
  Object.assign(new Error('entity not indexed yet'), {
    response: { status: 404 },
  });

describe('useAsyncResult with RETRY_NOT_YET_INDEXED', () => {
  afterEach(() => jest.useRealTimers());

  it('retries a 404 while the index catches up, staying in the loading state', async () => {
    jest.useFakeTimers();
    const load = jest
      .fn()
      .mockRejectedValueOnce(notFound())
      .mockRejectedValueOnce(notFound())
      .mockResolvedValue('brief');
    const { result } = renderHook(() =>
      useAsyncResult(load, [], RETRY_NOT_YET_INDEXED),
    );
    await act(async () => {
      await jest.advanceTimersByTimeAsync(1000);
    });
    expect(result.current.loading).toBe(true);
    expect(result.current.error).toBeUndefined();
    await act(async () => {
      await jest.advanceTimersByTimeAsync(2000);
    });
    expect(result.current).toMatchObject({ loading: false, value: 'brief' });
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('shows the error once the retries are used up', async () => {
    jest.useFakeTimers();
    const load = jest.fn().mockRejectedValue(notFound());
    const { result } = renderHook(() =>
      useAsyncResult(load, [], RETRY_NOT_YET_INDEXED),
    );
    await act(async () => {
      await jest.advanceTimersByTimeAsync(30_000);
    });
    expect(result.current.error?.message).toBe('entity not indexed yet');
    expect(load).toHaveBeenCalledTimes(
      RETRY_NOT_YET_INDEXED.delaysMs.length + 1,
    );
  });

  it('does not retry other errors', async () => {
    const load = jest.fn().mockRejectedValue(new Error('boom'));
    const { result } = renderHook(() =>
      useAsyncResult(load, [], RETRY_NOT_YET_INDEXED),
    );
    await waitFor(() => expect(result.current.error?.message).toBe('boom'));
    expect(load).toHaveBeenCalledTimes(1);
  });
});
