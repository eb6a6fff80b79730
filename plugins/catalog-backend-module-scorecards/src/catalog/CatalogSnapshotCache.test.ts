import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogSnapshotCache } from './CatalogSnapshotCache';

function component(
  over: Partial<Entity['metadata']> = {},
  owner = 'team-a',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'svc',
      namespace: 'default',
      uid: 'u1',
      etag: 'e1',
      ...over,
    },
    spec: { type: 'service', lifecycle: 'production', owner },
  };
}

async function versionOf(entities: Entity[]) {
  const cache = new CatalogSnapshotCache({
    catalog: catalogServiceMock({ entities }),
    auth: mockServices.auth(),
  });
  expect(cache.version()).toBe('none');
  await cache.refresh();
  return { version: cache.version(), index: cache.current()! };
}

describe('CatalogSnapshotCache', () => {
  it('indexes the catalog and versions its content', async () => {
    const { version, index } = await versionOf([component()]);
    expect(index.get('component:default/svc')?.spec?.owner).toBe('team-a');
    expect(version).not.toBe('none');
  });

  it('keeps its version when only our stamps, the etag or the order change', async () => {
    const other = component({ name: 'other', uid: 'u2' });
    const base = await versionOf([component(), other]);
    const restamped = await versionOf([
      other,
      component({
        etag: 'e2',
        labels: { 'ops.example.com/maturity-level': 'L2' },
        annotations: {
          'ops.example.com/scorecard-score': '3/3',
          'ops.example.com/scorecard-standard': 'default@7',
        },
      }),
    ]);
    expect(restamped.version).toBe(base.version);
  });

  it('changes its version when what an evaluation reads changes', async () => {
    const base = await versionOf([component()]);
    expect((await versionOf([component({}, 'team-b')])).version).not.toBe(
      base.version,
    );
    expect(
      (
        await versionOf([
          component({ labels: { 'ops.example.com/tier': '1' } }),
        ])
      ).version,
    ).not.toBe(base.version);
    expect(
      (await versionOf([component(), component({ name: 'new', uid: 'u3' })]))
        .version,
    ).not.toBe(base.version);
  });

  describe('entities that arrive between refreshes', () => {
    const system: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: 'checkout', namespace: 'default' },
      spec: { owner: 'team-a' },
    };
    const SYSTEM = 'system:default/checkout';
    /** Another System, named `name`. */
    const named = (name: string): Entity => ({
      ...system,
      metadata: { ...system.metadata, name },
    });

    function setup(entities: Entity[], maxArrivals?: number) {
      let now = Date.parse('2026-03-14T02:00:00Z');
      const catalog = { entities };
      const arrivals: string[][] = [];
      const cache = new CatalogSnapshotCache({
        catalog: {
          ...catalogServiceMock(),
          streamEntities: (...args: any[]) =>
            catalogServiceMock({ entities: catalog.entities }).streamEntities(
              ...(args as [any, any]),
            ),
        } as any,
        auth: mockServices.auth(),
        clock: () => new Date(now),
        maxArrivals,
        onArrival: refs => arrivals.push(refs),
      });
      return {
        cache,
        catalog,
        arrivals,
        advance: (ms: number) => {
          now += ms;
        },
      };
    }

    it('are ignored before the first snapshot', async () => {
      const { cache } = setup([component()]);
      cache.noteProcessed(system);
      expect(cache.current()).toBeUndefined();
      await cache.refresh();
      expect(cache.current()!.get(SYSTEM)).toBeUndefined();
    });

    it('are answered until a refresh reads them, and change the version meanwhile', async () => {
      const { cache, catalog } = setup([component()]);
      await cache.refresh();
      const plain = cache.version();
      const index = cache.current();
      // An entity the snapshot holds changes nothing: the steady loop keeps reusing.
      cache.noteProcessed(component());
      expect(cache.version()).toBe(plain);
      expect(cache.current()).toBe(index);

      cache.noteProcessed(system);
      expect(cache.current()!.get(SYSTEM)).toBe(system);
      const withSystem = cache.version();
      expect(withSystem).not.toBe(plain);
      // Processed again (changed YAML): the answer and the version move on.
      const edited = { ...system, spec: { owner: 'team-b' } };
      cache.noteProcessed(edited);
      expect(cache.current()!.get(SYSTEM)).toBe(edited);
      expect(cache.version()).not.toBe(withSystem);

      // A refresh that holds it forgets the arrival: the snapshot answers again.
      catalog.entities = [component(), edited];
      await cache.refresh();
      expect(cache.current()!.get(SYSTEM)).toEqual(edited);
      expect(cache.current()!.get(SYSTEM)).not.toBe(edited);
      expect(cache.version()).toBe(
        (await versionOf([component(), edited])).version,
      );
    });

    it('are kept over refreshes that do not hold them yet, for 10 minutes', async () => {
      const { cache, advance } = setup([component()]);
      await cache.refresh();
      cache.noteProcessed(system);
      advance(60_000);
      await cache.refresh();
      expect(cache.current()!.get(SYSTEM)).toBe(system);
      advance(10 * 60_000);
      await cache.refresh();
      expect(cache.current()!.get(SYSTEM)).toBeUndefined();
      expect(cache.version()).toBe((await versionOf([component()])).version);
    });

    it('hold at most maxArrivals (refreshes failing during a large import), updating those held', async () => {
      const { cache } = setup([component()], 2);
      await cache.refresh();
      cache.noteProcessed(named('a'));
      cache.noteProcessed(named('b'));
      cache.noteProcessed(named('c'));
      const index = cache.current()!;
      expect(index.get('system:default/a')).toBeDefined();
      expect(index.get('system:default/b')).toBeDefined();
      expect(index.get('system:default/c')).toBeUndefined();
      const edited = { ...named('a'), spec: { owner: 'team-b' } };
      cache.noteProcessed(edited);
      expect(cache.current()!.get('system:default/a')).toBe(edited);
    });

    it('count the 10 minutes from the first note: a repeat with the same content changes nothing', async () => {
      const { cache, advance } = setup([component()]);
      await cache.refresh();
      cache.noteProcessed(system);
      const held = cache.version();
      advance(5 * 60_000);
      // the catalog's next loop processes it again (its processing failed: nothing written)
      cache.noteProcessed({ ...system, metadata: { ...system.metadata } });
      expect(cache.version()).toBe(held);
      advance(6 * 60_000);
      await cache.refresh();
      expect(cache.current()!.get(SYSTEM)).toBeUndefined();
    });

    it('do not take an expired entity up again unless it changed, so the version settles', async () => {
      const { cache, advance } = setup([component()]);
      await cache.refresh();
      const plain = cache.version();
      cache.noteProcessed(system);
      advance(11 * 60_000);
      await cache.refresh();
      expect(cache.version()).toBe(plain);
      cache.noteProcessed(system);
      expect(cache.current()!.get(SYSTEM)).toBeUndefined();
      expect(cache.version()).toBe(plain);
      const fixed = { ...system, spec: { owner: 'team-b' } };
      cache.noteProcessed(fixed);
      expect(cache.current()!.get(SYSTEM)).toBe(fixed);
      expect(cache.version()).not.toBe(plain);
    });

    it('change the version when a refresh drops one of them while others are held', async () => {
      const { cache, advance } = setup([component()]);
      await cache.refresh();
      cache.noteProcessed(system);
      advance(6 * 60_000);
      const other = named('other');
      cache.noteProcessed(other);
      const both = cache.version();
      advance(5 * 60_000);
      await cache.refresh();
      expect(cache.current()!.get(SYSTEM)).toBeUndefined();
      expect(cache.current()!.get('system:default/other')).toBe(other);
      expect(cache.version()).not.toBe(both);
    });

    it('are never groups or users, whose parents and members the snapshot answers', async () => {
      const { cache } = setup([component()]);
      await cache.refresh();
      const plain = cache.version();
      cache.noteProcessed({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'new-team', namespace: 'default' },
        spec: { type: 'team', parent: 'group:default/org', children: [] },
      });
      cache.noteProcessed({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'User',
        metadata: { name: 'new-user', namespace: 'default' },
        spec: { memberOf: ['new-team'] },
      });
      expect(cache.current()!.get('group:default/new-team')).toBeUndefined();
      expect(cache.current()!.get('user:default/new-user')).toBeUndefined();
      expect(cache.version()).toBe(plain);
    });

    it('are announced once: when first held, or when a refresh first reads an entity not held', async () => {
      const group: Entity = {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'team-b', namespace: 'default' },
        spec: { type: 'team', children: [] },
      };
      const { cache, catalog, arrivals } = setup([component()]);
      // The first snapshot's entities are not arrivals.
      await cache.refresh();
      expect(arrivals).toEqual([]);

      cache.noteProcessed(component());
      cache.noteProcessed(system);
      cache.noteProcessed(system);
      cache.noteProcessed({ ...system, spec: { owner: 'team-b' } });
      cache.noteProcessed(group);
      expect(arrivals).toEqual([[SYSTEM]]);

      // The System was announced when held; the group (never held) and a new API are now.
      catalog.entities = [
        component(),
        system,
        group,
        { ...named('payments'), kind: 'API', spec: { type: 'openapi' } },
      ];
      await cache.refresh();
      expect(arrivals).toEqual([
        [SYSTEM],
        ['group:default/team-b', 'api:default/payments'],
      ]);
      // Nothing new: nothing announced.
      await cache.refresh();
      expect(arrivals).toHaveLength(2);
    });
  });
});
