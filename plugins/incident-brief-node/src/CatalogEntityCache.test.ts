import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogEntityCache, withLoadedEntities } from './CatalogEntityCache';

const group = (name: string, parent?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [], ...(parent ? { parent } : {}) },
});

function setup(entities: Entity[], options: { delayMs?: number } = {}) {
  const catalog = catalogServiceMock({ entities });
  const calls: string[][] = [];
  const getEntitiesByRefs = catalog.getEntitiesByRefs.bind(catalog);
  jest
    .spyOn(catalog, 'getEntitiesByRefs')
    .mockImplementation(async (request, opts) => {
      calls.push([...request.entityRefs]);
      if (options.delayMs)
        await new Promise(resolve => setTimeout(resolve, options.delayMs));
      return getEntitiesByRefs(request, opts);
    });
  let now = 1_000;
  const cache = new CatalogEntityCache({
    catalog,
    auth: mockServices.auth(),
    ttlMs: 60_000,
    now: () => now,
  });
  return { cache, catalog, calls, advance: (ms: number) => (now += ms) };
}

// What a readiness check asks for a service owned by team-a: the team, then its parent.
const ownerChain = (lookup: (ref: string) => Entity | undefined) => {
  const team = lookup('group:default/team-a');
  const parent = (team?.spec as { parent?: string } | undefined)?.parent;
  return [team?.metadata.name, parent && lookup(parent)?.metadata.name];
};

describe('CatalogEntityCache', () => {
  it('answers from the cache until the TTL passes; a missing entity is cached as null', async () => {
    const { cache, calls, advance } = setup([group('team-a')]);
    expect(cache.peek('group:default/team-a')).toBeUndefined();
    await cache.load(['group:default/team-a', 'group:default/ghost']);
    expect(cache.peek('group:default/team-a')?.metadata.name).toBe('team-a');
    expect(cache.peek('group:default/ghost')).toBeNull();
    advance(59_999);
    expect(cache.peek('group:default/team-a')).toBeDefined();
    advance(1);
    expect(cache.peek('group:default/team-a')).toBeUndefined();
    expect(calls).toEqual([['group:default/team-a', 'group:default/ghost']]);
  });

  it('fails a catalog read that does not answer within the deadline and caches nothing', async () => {
    jest.useFakeTimers();
    try {
      const catalog = catalogServiceMock({ entities: [group('team-a')] });
      jest
        .spyOn(catalog, 'getEntitiesByRefs')
        .mockImplementation(() => new Promise(() => {}));
      const cache = new CatalogEntityCache({
        catalog,
        auth: mockServices.auth(),
        ttlMs: 60_000,
        timeoutMs: 2000,
      });
      const failure = cache.load(['group:default/team-a']).then(
        () => undefined,
        (error: Error) => error.message,
      );
      await jest.advanceTimersByTimeAsync(2000);
      expect(await failure).toBe('the catalog did not answer within 2000 ms');
      expect(cache.peek('group:default/team-a')).toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });

  it.each([
    [
      'fewer items than refs',
      { items: [group('team-a')] },
      'the catalog answered 1 items for 2 refs',
    ],
    ['no items', {}, 'the catalog answered no items for 2 refs'],
  ])(
    'fails a read answered with %s and caches nothing, not the refs past its end as missing',
    async (_what, answer, message) => {
      const catalog = catalogServiceMock({ entities: [group('team-a')] });
      jest
        .spyOn(catalog, 'getEntitiesByRefs')
        .mockResolvedValue(answer as { items: Entity[] });
      const cache = new CatalogEntityCache({
        catalog,
        auth: mockServices.auth(),
        ttlMs: 60_000,
      });
      await expect(
        cache.load(['group:default/team-a', 'group:default/team-b']),
      ).rejects.toThrow(message);
      expect(cache.peek('group:default/team-a')).toBeUndefined();
      expect(cache.peek('group:default/team-b')).toBeUndefined();
    },
  );

  it('loads in batches of 100 and not at all for nothing', async () => {
    const { cache, calls } = setup([]);
    await cache.load([]);
    expect(calls).toEqual([]);
    await cache.load(
      Array.from({ length: 250 }, (_, i) => `group:default/g${i}`),
    );
    expect(calls.map(c => c.length)).toEqual([100, 100, 50]);
  });

  it('withLoadedEntities loads what each round asked for until nothing is missing', async () => {
    const { cache, calls } = setup([
      group('child', 'group:default/parent'),
      group('parent', 'grandparent'),
      group('grandparent'),
    ]);
    // Walks the parent chain: each round can only ask for the next parent.
    const chain = await withLoadedEntities(cache, lookup => {
      const names: string[] = [];
      let ref: string | undefined = 'Group:default/child';
      while (ref) {
        const e = lookup(ref);
        if (!e) break;
        names.push(e.metadata.name);
        ref = (e.spec as { parent?: string }).parent;
        if (ref && !ref.includes(':')) ref = `group:default/${ref}`;
      }
      return names;
    });
    expect(chain).toEqual(['child', 'parent', 'grandparent']);
    expect(calls).toEqual([
      ['group:default/child'],
      ['group:default/parent'],
      ['group:default/grandparent'],
    ]);
  });

  it('withLoadedEntities stops after maxRounds; a ref without a kind is not found and not loaded', async () => {
    const { cache, calls } = setup([]);
    let rounds = 0;
    const result = await withLoadedEntities(
      cache,
      lookup => {
        rounds++;
        // Without a kind, a ref cannot be parsed (no default kind here).
        lookup('team-a');
        return lookup(`group:default/g${rounds}`);
      },
      3,
    );
    expect(result).toBeUndefined();
    expect(rounds).toBe(3);
    expect(calls).toEqual([['group:default/g1'], ['group:default/g2']]);
  });

  it('coalesces concurrent loads of the same refs into one catalog call', async () => {
    const { cache, calls } = setup(
      [group('team-a', 'group:default/dept'), group('dept')],
      { delayMs: 20 },
    );
    // A processing pass over ten services of team-a, all started before the catalog answers.
    const results = await Promise.all(
      Array.from({ length: 10 }, () => withLoadedEntities(cache, ownerChain)),
    );
    expect(results).toEqual(Array(10).fill(['team-a', 'dept']));
    expect(calls).toEqual([['group:default/team-a'], ['group:default/dept']]);
  });

  it('loads only the refs not already on their way, and waits for the others', async () => {
    const { cache, calls } = setup([group('team-a'), group('team-b')], {
      delayMs: 20,
    });
    const first = cache.load(['group:default/team-a']);
    const second = cache.load(['group:default/team-a', 'group:default/team-b']);
    await second;
    // The second load returned only once team-a, loaded by the first, was in the cache too.
    expect(cache.peek('group:default/team-a')?.metadata.name).toBe('team-a');
    expect(cache.peek('group:default/team-b')?.metadata.name).toBe('team-b');
    await first;
    expect(calls).toEqual([['group:default/team-a'], ['group:default/team-b']]);
  });

  it('fails every load waiting on a failed read, and reads again afterwards', async () => {
    const { cache, catalog, calls } = setup([group('team-a')]);
    const read = catalog.getEntitiesByRefs;
    jest.mocked(read).mockRejectedValueOnce(new Error('catalog is down'));
    const first = cache.load(['group:default/team-a']);
    const second = cache.load(['group:default/team-a']);
    await expect(first).rejects.toThrow('catalog is down');
    await expect(second).rejects.toThrow('catalog is down');
    await cache.load(['group:default/team-a']);
    expect(cache.peek('group:default/team-a')?.metadata.name).toBe('team-a');
    expect(read).toHaveBeenCalledTimes(2);
    expect(calls).toEqual([['group:default/team-a']]);
  });

  it('with pauseAfterFailureMs, fails loads at once after a failed read until the pause passed; cached entries still answer', async () => {
    const catalog = catalogServiceMock({
      entities: [group('team-a'), group('team-b')],
    });
    const read = jest.spyOn(catalog, 'getEntitiesByRefs');
    let now = 1_000;
    const cache = new CatalogEntityCache({
      catalog,
      auth: mockServices.auth(),
      ttlMs: 600_000,
      now: () => now,
      pauseAfterFailureMs: 30_000,
    });
    await cache.load(['group:default/team-b']);
    read.mockRejectedValueOnce(new Error('catalog is down'));
    await expect(cache.load(['group:default/team-a'])).rejects.toThrow(
      'catalog is down',
    );
    now += 12_000;
    await expect(cache.load(['group:default/team-a'])).rejects.toThrow(
      'the catalog was not read: a read failed 12 s ago (catalog is down); asking again in 18 s',
    );
    // What is cached still answers, without asking.
    expect(
      await withLoadedEntities(
        cache,
        lookup => lookup('group:default/team-b')?.metadata.name,
      ),
    ).toBe('team-b');
    expect(read).toHaveBeenCalledTimes(2);
    now += 18_000;
    await cache.load(['group:default/team-a']);
    expect(cache.peek('group:default/team-a')?.metadata.name).toBe('team-a');
    expect(read).toHaveBeenCalledTimes(3);
  });

  it('ends the pause when a read already on its way answers after the failure', async () => {
    const catalog = catalogServiceMock({
      entities: [group('team-a'), group('team-b')],
    });
    const answered = catalog.getEntitiesByRefs.bind(catalog);
    const read = jest.spyOn(catalog, 'getEntitiesByRefs');
    const cache = new CatalogEntityCache({
      catalog,
      auth: mockServices.auth(),
      ttlMs: 600_000,
      pauseAfterFailureMs: 30_000,
    });
    let release!: () => void;
    const gate = new Promise<void>(resolve => (release = resolve));
    read.mockImplementationOnce(async (...args) => {
      await gate;
      return answered(...args);
    });
    const slow = cache.load(['group:default/team-b']);
    read.mockRejectedValueOnce(new Error('one batch failed'));
    await expect(cache.load(['group:default/team-a'])).rejects.toThrow(
      'one batch failed',
    );
    release();
    await slow;
    await cache.load(['group:default/team-a']);
    expect(cache.peek('group:default/team-a')?.metadata.name).toBe('team-a');
  });

  it('without pauseAfterFailureMs, asks again on the next load after a failed read', async () => {
    const { cache, catalog } = setup([group('team-a')]);
    jest
      .mocked(catalog.getEntitiesByRefs)
      .mockRejectedValueOnce(new Error('catalog is down'));
    await expect(cache.load(['group:default/team-a'])).rejects.toThrow(
      'catalog is down',
    );
    await cache.load(['group:default/team-a']);
    expect(cache.peek('group:default/team-a')?.metadata.name).toBe('team-a');
  });

  it('drops expired entries instead of keeping every entity it ever loaded', async () => {
    const { cache, advance } = setup([group('team-a')]);
    await cache.load(
      Array.from({ length: 500 }, (_, i) => `group:default/g${i}`),
    );
    await cache.load(['group:default/team-a']);
    expect(cache.size).toBe(501);
    advance(60 * 60_000);
    // Looking at an expired entry forgets it.
    expect(cache.peek('group:default/team-a')).toBeUndefined();
    expect(cache.size).toBe(500);
    // The next load sweeps the rest.
    await cache.load(['group:default/team-b']);
    expect(cache.size).toBe(1);
    expect(cache.peek('group:default/team-b')).toBeNull();
  });
});
