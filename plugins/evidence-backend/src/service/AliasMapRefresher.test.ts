import { mockServices } from '@backstage/backend-test-utils';
import { entity } from '../__testUtils__/startEvidenceTestBackend';
import { AliasMapRefresher } from './AliasMapRefresher';
import { AliasResolver } from './AliasResolver';

const catalogDown = () => {
  throw Object.assign(new Error('Request failed with 401 Unauthorized'), {
    name: 'ResponseError',
  });
};

function setup(load: () => Promise<ReturnType<typeof entity>[]>) {
  const logger = mockServices.logger.mock();
  const resolver = new AliasResolver();
  let now = Date.parse('2026-03-14T02:00:00Z');
  const sleeps: number[] = [];
  const refresher = new AliasMapRefresher({
    resolver,
    loadEntities: load,
    logger,
    clock: () => now,
    sleep: async ms => {
      sleeps.push(ms);
      now += ms;
    },
  });
  return {
    logger,
    resolver,
    refresher,
    sleeps,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('AliasMapRefresher', () => {
  it('keeps a loaded map when the catalog answers no entities at all, and says so', async () => {
    let entities = [entity('Component', 'checkout-service')];
    const t = setup(async () => entities);
    await t.refresher.run();
    expect(t.resolver.exists('component:default/checkout-service')).toBe(true);

    entities = [];
    t.advance(60_000);
    await expect(t.refresher.run()).rejects.toThrow('no entities at all');
    expect(t.resolver.exists('component:default/checkout-service')).toBe(true);
    expect(t.logger.warn).toHaveBeenCalledWith(
      'evidence alias map could not be read from the catalog: the catalog answered no entities at all, which is taken for an outage, not every entity deleted; using the map read 1 min ago',
    );

    // an empty catalog before any map was loaded is simply empty
    const first = setup(async () => []);
    await first.refresher.run();
    expect(first.logger.warn).not.toHaveBeenCalled();
  });

  it('logs a failing catalog read when it starts or changes, with the age of the map in use, and the recovery once', async () => {
    let fail: (() => never) | undefined;
    const t = setup(async () => {
      fail?.();
      return [entity('Component', 'checkout-service')];
    });
    await t.refresher.run();
    expect(t.resolver.isLoaded).toBe(true);

    fail = catalogDown;
    for (let minute = 0; minute < 5; minute++) {
      t.advance(60_000);
      await expect(t.refresher.run()).rejects.toThrow('401');
    }
    expect(t.logger.warn).toHaveBeenCalledTimes(1);
    expect(t.logger.warn).toHaveBeenCalledWith(
      'evidence alias map could not be read from the catalog: Request failed with 401 Unauthorized; using the map read 1 min ago',
    );
    // A loaded map is kept and the run ends: the next run is the task's next minute.
    expect(t.sleeps).toEqual([]);

    fail = () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:7007');
    };
    await expect(t.refresher.run()).rejects.toThrow('ECONNREFUSED');
    expect(t.logger.warn).toHaveBeenCalledTimes(2);

    fail = undefined;
    await t.refresher.run();
    expect(t.logger.info).toHaveBeenCalledWith(
      'evidence alias map read from the catalog again',
    );
  });

  it('tries again every few seconds until the first map loads, not a task minute later', async () => {
    let calls = 0;
    const t = setup(async () => {
      calls += 1;
      if (calls <= 3) catalogDown();
      return [entity('Component', 'checkout-service')];
    });
    await t.refresher.run();
    expect(t.resolver.isLoaded).toBe(true);
    expect(t.sleeps).toEqual([5_000, 5_000, 5_000]);
    expect(t.logger.warn).toHaveBeenCalledTimes(1);
    expect(t.logger.warn.mock.calls[0][0]).toContain('no map loaded yet');
  });

  it('stops trying when the task is stopped (timeout or shutdown)', async () => {
    const controller = new AbortController();
    let calls = 0;
    const t = setup(async () => {
      calls += 1;
      if (calls === 2) controller.abort();
      return catalogDown();
    });
    await expect(t.refresher.run(controller.signal)).rejects.toThrow('401');
    expect(calls).toBe(2);
    expect(t.resolver.isLoaded).toBe(false);
  });
});
