import { mockServices } from '@backstage/backend-test-utils';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { AwaitedRefsRefresher } from './AwaitedRefsRefresher';

function fakeConnection(fail = false) {
  const calls: string[][] = [];
  const connection = {
    async applyMutation() {
      throw new Error('never provides entities');
    },
    async refresh({ keys }: { keys: string[] }) {
      calls.push(keys);
      if (fail) throw new Error('database is locked');
    },
  } as EntityProviderConnection;
  return { calls, connection };
}

describe('AwaitedRefsRefresher', () => {
  afterEach(() => jest.useRealTimers());

  it('asks the catalog once arrivals pause, by refresh key, in chunks', async () => {
    jest.useFakeTimers();
    const refresher = new AwaitedRefsRefresher({
      logger: mockServices.logger.mock(),
      quietMs: 500,
      chunkSize: 2,
    });
    const { calls, connection } = fakeConnection();
    await refresher.connect(connection);
    refresher.arrived(['system:default/a']);
    await jest.advanceTimersByTimeAsync(400);
    // Another arrival within the quiet time: the wait starts again.
    refresher.arrived(['api:default/b', 'system:default/a', 'group:default/c']);
    await jest.advanceTimersByTimeAsync(499);
    expect(calls).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([
      ['scorecards:awaits:system:default/a', 'scorecards:awaits:api:default/b'],
      ['scorecards:awaits:group:default/c'],
    ]);
    expect(refresher.requested).toBe(3);
    // Nothing new: nothing asked.
    await jest.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(2);
  });

  it('asks at the latest maxDelayMs after the first arrival while arrivals keep coming', async () => {
    jest.useFakeTimers();
    const refresher = new AwaitedRefsRefresher({
      logger: mockServices.logger.mock(),
      quietMs: 500,
      maxDelayMs: 2000,
    });
    const { calls, connection } = fakeConnection();
    await refresher.connect(connection);
    for (let i = 0; i < 10; i++) {
      refresher.arrived([`component:default/c${i}`]);
      await jest.advanceTimersByTimeAsync(300);
    }
    // Asked at 2,000 ms with what had arrived by then (c0–c6), then once quiet again.
    expect(calls.map(keys => keys.length)).toEqual([7]);
    await jest.advanceTimersByTimeAsync(500);
    expect(calls.map(keys => keys.length)).toEqual([7, 3]);
  });

  it('leaves a bulk import (more than maxRefs arrivals in one wait) to the catalog loop', async () => {
    const logger = mockServices.logger.mock();
    const refresher = new AwaitedRefsRefresher({ logger, maxRefs: 2 });
    const { calls, connection } = fakeConnection();
    await refresher.connect(connection);
    refresher.arrived(['component:default/a', 'component:default/b']);
    await refresher.flush();
    refresher.arrived(['component:default/c', 'component:default/d']);
    refresher.arrived(['component:default/e']);
    await refresher.flush();
    expect(calls).toEqual([
      [
        'scorecards:awaits:component:default/a',
        'scorecards:awaits:component:default/b',
      ],
    ]);
    expect(refresher.requested).toBe(2);
    expect(refresher.skipped).toBe(3);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining('3 entities arrived at once'),
    );
  });

  it('keeps arrivals until the catalog connects', async () => {
    const refresher = new AwaitedRefsRefresher({
      logger: mockServices.logger.mock(),
    });
    refresher.arrived(['system:default/a']);
    await refresher.flush();
    const { calls, connection } = fakeConnection();
    await refresher.connect(connection);
    await refresher.flush();
    expect(calls).toEqual([['scorecards:awaits:system:default/a']]);
  });

  it('logs a failed request and leaves it to the catalog loop, never throwing', async () => {
    const logger = mockServices.logger.mock();
    const refresher = new AwaitedRefsRefresher({ logger });
    await refresher.connect(fakeConnection(true).connection);
    refresher.arrived(['system:default/a']);
    await expect(refresher.flush()).resolves.toBeUndefined();
    expect(refresher.requested).toBe(0);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('database is locked'),
    );
  });

  it('drops what is pending when stopped, and asks nothing for later arrivals', async () => {
    jest.useFakeTimers();
    const refresher = new AwaitedRefsRefresher({
      logger: mockServices.logger.mock(),
    });
    const { calls, connection } = fakeConnection();
    await refresher.connect(connection);
    refresher.arrived(['system:default/a']);
    refresher.stop();
    // The catalog's processing may still report arrivals while it stops.
    refresher.arrived(['system:default/b']);
    await jest.advanceTimersByTimeAsync(120_000);
    await refresher.flush();
    expect(calls).toEqual([]);
  });
});
