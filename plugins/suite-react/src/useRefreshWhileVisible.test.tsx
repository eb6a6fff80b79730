import { render } from '@testing-library/react';
import { act } from 'react';
import { useRefreshWhileVisible } from './useRefreshWhileVisible';

function Probe(props: { refresh: () => void }) {
  useRefreshWhileVisible(props.refresh, 60_000);
  return null;
}

describe('useRefreshWhileVisible', () => {
  let state: DocumentVisibilityState = 'visible';
  beforeAll(() => {
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => state,
    });
  });
  beforeEach(() => {
    jest.useFakeTimers();
    state = 'visible';
  });
  afterEach(() => jest.useRealTimers());

  const setVisibility = (next: DocumentVisibilityState) => {
    state = next;
    act(() => {
      document.dispatchEvent(new Event('visibilitychange'));
    });
  };

  it('refreshes every minute while visible, not while hidden, once on coming back, and never after unmount', () => {
    const refresh = jest.fn();
    const { unmount } = render(<Probe refresh={refresh} />);
    expect(refresh).not.toHaveBeenCalled();
    act(() => {
      jest.advanceTimersByTime(3 * 60_000);
    });
    expect(refresh).toHaveBeenCalledTimes(3);

    setVisibility('hidden');
    act(() => {
      jest.advanceTimersByTime(30 * 60_000 + 50_000);
    });
    expect(refresh).toHaveBeenCalledTimes(3);
    setVisibility('visible');
    expect(refresh).toHaveBeenCalledTimes(4);
    // the minute tick 10 s after that read waits for the next one
    act(() => {
      jest.advanceTimersByTime(10_000);
    });
    expect(refresh).toHaveBeenCalledTimes(4);
    act(() => {
      jest.advanceTimersByTime(60_000);
    });
    expect(refresh).toHaveBeenCalledTimes(5);
    // back again within the minute: no second read
    setVisibility('hidden');
    setVisibility('visible');
    expect(refresh).toHaveBeenCalledTimes(5);

    unmount();
    act(() => {
      jest.advanceTimersByTime(10 * 60_000);
    });
    setVisibility('visible');
    expect(refresh).toHaveBeenCalledTimes(5);
  });
});
