import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { mutableCatalog } from '../__testUtils__/mutableCatalog';
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

function setup(entities: Entity[], maxArrivals?: number) {
  let now = Date.parse('2026-03-14T02:00:00Z');
  const { service, state: catalog } = mutableCatalog(entities);
  const arrivals: string[][] = [];
  const cache = new CatalogSnapshotCache({
    catalog: service,
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

const SVC = 'component:default/svc';

describe('CatalogSnapshotCache', () => {
  it('indexes the catalog; its generation moves from 0 with the first snapshot', async () => {
    const { cache } = setup([component()]);
    expect(cache.generation()).toBe(0);
    await cache.refresh();
    expect(cache.current()!.get(SVC)?.spec?.owner).toBe('team-a');
    expect(cache.generation()).toBe(1);
  });

  it('keeps its generation when only our stamps, the etag or the order change', async () => {
    const other = component({ name: 'other', uid: 'u2' });
    const { cache, catalog } = setup([component(), other]);
    await cache.refresh();
    const before = cache.generation();
    catalog.entities = [
      other,
      component({
        etag: 'e2',
        labels: { 'ops.example.com/maturity-level': 'L2' },
        annotations: {
          'ops.example.com/scorecard-score': '3/3',
          'ops.example.com/scorecard-standard': 'default@7',
        },
      }),
    ];
    await cache.refresh();
    expect(cache.generation()).toBe(before);
    expect(cache.changedSince([`g${SVC}`], before)).toBe(false);
  });

  it('tells which lookups answer differently after a refresh, and only those', async () => {
    const other = component({ name: 'other', uid: 'u2' });
    const { cache, catalog } = setup([component(), other]);
    await cache.refresh();
    const g1 = cache.generation();
    const otherReads = ['gcomponent:default/other', 'ggroup:default/team-a'];

    // The owner changes: an evaluation that read svc is not reused, one that read other is.
    catalog.entities = [component({}, 'team-b'), other];
    await cache.refresh();
    expect(cache.changedSince([`g${SVC}`], g1)).toBe(true);
    expect(cache.changedSince(otherReads, g1)).toBe(false);
    // Nested lists of reads (a memo's) count too.
    expect(cache.changedSince([otherReads, [[`g${SVC}`]]], g1)).toBe(true);

    // A new dependent of resource:db: its own get, and the dependents of db.
    const g2 = cache.generation();
    const dependent = {
      ...component({ name: 'new', uid: 'u3' }),
      spec: { type: 'service', owner: 'team-a', dependsOn: ['resource:db'] },
    };
    catalog.entities = [component({}, 'team-b'), other, dependent];
    await cache.refresh();
    expect(cache.changedSince(['dresource:default/db'], g2)).toBe(true);
    expect(cache.changedSince(['gcomponent:default/new'], g2)).toBe(true);
    expect(
      cache.changedSince([`g${SVC}`, 'gcomponent:default/other'], g2),
    ).toBe(false);
    // Still changed against the first generation: the owner change is remembered.
    expect(cache.changedSince([`g${SVC}`], g1)).toBe(true);

    // Removed: the answers it took part in change again.
    const g3 = cache.generation();
    catalog.entities = [component({}, 'team-b'), other];
    await cache.refresh();
    expect(cache.changedSince(['dresource:default/db'], g3)).toBe(true);
    expect(cache.changedSince(['gcomponent:default/new'], g3)).toBe(true);
    expect(cache.changedSince(otherReads, g3)).toBe(false);
  });

  it('counts every lookup as changed after a refresh that read two entities under one ref, and after the next', async () => {
    const other = component({ name: 'other', uid: 'u2' });
    const { cache, catalog } = setup([component(), other]);
    await cache.refresh();
    const g1 = cache.generation();
    catalog.entities = [component(), other, component({}, 'team-b')];
    await cache.refresh();
    expect(cache.changedSince(['gcomponent:default/other'], g1)).toBe(true);
    // The duplicate goes: its reverse lookups changed again, without a digest to tell.
    const g2 = cache.generation();
    catalog.entities = [component(), other];
    await cache.refresh();
    expect(cache.changedSince(['gcomponent:default/other'], g2)).toBe(true);
    // Unique again: back to telling lookups apart.
    const g3 = cache.generation();
    await cache.refresh();
    expect(cache.generation()).toBe(g3);
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

    it('are ignored before the first snapshot', async () => {
      const { cache } = setup([component()]);
      cache.noteProcessed(system);
      expect(cache.current()).toBeUndefined();
      await cache.refresh();
      expect(cache.current()!.get(SYSTEM)).toBeUndefined();
    });

    it('are answered until a refresh reads them, and change their answer meanwhile', async () => {
      const { cache, catalog } = setup([component()]);
      await cache.refresh();
      const plain = cache.generation();
      const index = cache.current();
      // An entity the snapshot holds changes nothing: the steady loop keeps reusing.
      cache.noteProcessed(component());
      expect(cache.generation()).toBe(plain);
      expect(cache.current()).toBe(index);

      cache.noteProcessed(system);
      expect(cache.current()!.get(SYSTEM)).toBe(system);
      expect(cache.changedSince([`g${SYSTEM}`], plain)).toBe(true);
      expect(cache.changedSince([`g${SVC}`], plain)).toBe(false);
      const withSystem = cache.generation();
      // Processed again (changed YAML): the answer moves on.
      const edited = { ...system, spec: { owner: 'team-b' } };
      cache.noteProcessed(edited);
      expect(cache.current()!.get(SYSTEM)).toBe(edited);
      expect(cache.changedSince([`g${SYSTEM}`], withSystem)).toBe(true);

      // A refresh that holds it forgets the arrival: the snapshot answers again, and its own
      // answers (the System's reverse lookups) are new.
      const held = cache.generation();
      catalog.entities = [component(), edited];
      await cache.refresh();
      expect(cache.current()!.get(SYSTEM)).toEqual(edited);
      expect(cache.current()!.get(SYSTEM)).not.toBe(edited);
      expect(cache.changedSince([`g${SYSTEM}`], held)).toBe(true);
      expect(cache.changedSince([`g${SVC}`], held)).toBe(false);
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
      const held = cache.generation();
      advance(5 * 60_000);
      // the catalog's next loop processes it again (its processing failed: nothing written)
      cache.noteProcessed({ ...system, metadata: { ...system.metadata } });
      expect(cache.generation()).toBe(held);
      advance(6 * 60_000);
      await cache.refresh();
      expect(cache.current()!.get(SYSTEM)).toBeUndefined();
    });

    it('do not take an expired entity up again unless it changed, so the answers settle', async () => {
      const { cache, advance } = setup([component()]);
      await cache.refresh();
      cache.noteProcessed(system);
      const held = cache.generation();
      advance(11 * 60_000);
      await cache.refresh();
      expect(cache.changedSince([`g${SYSTEM}`], held)).toBe(true);
      const expired = cache.generation();
      cache.noteProcessed(system);
      expect(cache.current()!.get(SYSTEM)).toBeUndefined();
      expect(cache.generation()).toBe(expired);
      const fixed = { ...system, spec: { owner: 'team-b' } };
      cache.noteProcessed(fixed);
      expect(cache.current()!.get(SYSTEM)).toBe(fixed);
      expect(cache.changedSince([`g${SYSTEM}`], expired)).toBe(true);
    });

    it('change the answer when a refresh drops one of them while others are held', async () => {
      const { cache, advance } = setup([component()]);
      await cache.refresh();
      cache.noteProcessed(system);
      advance(6 * 60_000);
      const other = named('other');
      cache.noteProcessed(other);
      const both = cache.generation();
      advance(5 * 60_000);
      await cache.refresh();
      expect(cache.current()!.get(SYSTEM)).toBeUndefined();
      expect(cache.current()!.get('system:default/other')).toBe(other);
      expect(cache.changedSince([`g${SYSTEM}`], both)).toBe(true);
      expect(cache.changedSince(['gsystem:default/other'], both)).toBe(false);
    });

    it('are never groups or users, whose parents and members the snapshot answers', async () => {
      const { cache } = setup([component()]);
      await cache.refresh();
      const plain = cache.generation();
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
      expect(cache.generation()).toBe(plain);
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
