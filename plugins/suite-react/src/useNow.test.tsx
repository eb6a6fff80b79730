import { act } from 'react';
import { renderHook } from '@testing-library/react';
import { useNow } from './useNow';

describe('useNow', () => {
  afterEach(() => jest.useRealTimers());

  it('renews the time every interval while mounted, and stops when unmounted', () => {
    jest.useFakeTimers({ now: new Date('2026-03-14T02:05:00Z') });
    const { result, unmount } = renderHook(() => useNow(60_000));
    expect(result.current.toISOString()).toBe('2026-03-14T02:05:00.000Z');
    act(() => {
      jest.advanceTimersByTime(60_000);
    });
    expect(result.current.toISOString()).toBe('2026-03-14T02:06:00.000Z');
    unmount();
    expect(jest.getTimerCount()).toBe(0);
  });
});
