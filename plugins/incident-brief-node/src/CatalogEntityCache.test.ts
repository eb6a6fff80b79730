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

function setup(entities: Entity[]) {
  const catalog = catalogServiceMock({ entities });
  const calls: string[][] = [];
  const getEntitiesByRefs = catalog.getEntitiesByRefs.bind(catalog);
  jest
    .spyOn(catalog, 'getEntitiesByRefs')
    .mockImplementation(async (request, options) => {
      calls.push([...request.entityRefs]);
      return getEntitiesByRefs(request, options);
    });
  let now = 1_000;
  const cache = new CatalogEntityCache({
    catalog,
    auth: mockServices.auth(),
    ttlMs: 60_000,
    now: () => now,
  });
  return { cache, calls, advance: (ms: number) => (now += ms) };
}

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
});
