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

function setup(
  entities: Entity[],
  maxArrivals?: number,
  etags?: 'content' | 'as-given',
) {
  let now = Date.parse('2026-03-14T02:00:00Z');
  const {
    service,
    state: catalog,
    calls,
  } = mutableCatalog(entities, { etags });
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
    calls,
    service,
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
      // As the catalog serves it: with the etag of its stitched content.
      expect(cache.current()!.get(SYSTEM)).toMatchObject(edited);
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

  describe('refreshes after the first: only what changed is read', () => {
    const LISTING = [
      'kind',
      'metadata.namespace',
      'metadata.name',
      'metadata.etag',
    ];
    // Enough that a few changes stay under the share read by ref (an eighth).
    const others = Array.from({ length: 30 }, (_, i) =>
      component({ name: `other-${i}`, uid: `o${i}` }),
    );

    it('lists etags only when nothing changed, and keeps the index with the new refresh time', async () => {
      const { cache, calls, advance } = setup([component(), ...others]);
      await cache.refresh();
      const first = cache.current()!;
      const generation = cache.generation();
      calls.streams.length = 0;
      advance(60_000);
      await cache.refresh();
      expect(calls.streams).toEqual([LISTING]);
      expect(calls.byRefs).toEqual([]);
      const second = cache.current()!;
      expect(second.refreshedAtMs).toBe(first.refreshedAtMs + 60_000);
      expect(second.refreshedAt).toBe('2026-03-14T02:01:00.000Z');
      // The same lookups (and memo), not an index built again.
      expect(second.get).toBe(first.get);
      expect(second.dependentsOf).toBe(first.dependentsOf);
      expect(cache.generation()).toBe(generation);
    });

    it('reads an edited, an added and a stamped entity by ref, and sees one removed', async () => {
      const { cache, catalog, calls, arrivals } = setup([
        component(),
        ...others,
      ]);
      await cache.refresh();
      const g1 = cache.generation();
      const added = component({ name: 'added', uid: 'a1' });
      catalog.entities = [
        component({}, 'team-b'),
        others[0],
        component({
          name: 'other-1',
          uid: 'o1',
          labels: { 'ops.example.com/maturity-level': 'L2' },
        }),
        others[2],
        others[3],
        ...others.slice(5),
        added,
      ];
      await cache.refresh();
      expect(calls.byRefs).toEqual([
        [SVC, 'component:default/other-1', 'component:default/added'],
      ]);
      const index = cache.current()!;
      expect(index.get(SVC)?.spec?.owner).toBe('team-b');
      expect(index.get('component:default/added')?.spec).toEqual(added.spec);
      expect(index.get('component:default/other-4')).toBeUndefined();
      expect(cache.changedSince([`g${SVC}`], g1)).toBe(true);
      expect(cache.changedSince(['gcomponent:default/other-4'], g1)).toBe(true);
      expect(cache.changedSince(['gcomponent:default/added'], g1)).toBe(true);
      // Only our stamp changed: read again, but not an answer that changed.
      expect(cache.changedSince(['gcomponent:default/other-1'], g1)).toBe(
        false,
      );
      expect(cache.changedSince(['gcomponent:default/other-0'], g1)).toBe(
        false,
      );
      expect(arrivals).toEqual([['component:default/added']]);
    });

    it('drops an entity deleted between the listing and its read', async () => {
      const { cache, catalog, service } = setup([component(), ...others]);
      await cache.refresh();
      const g1 = cache.generation();
      catalog.entities = [component({}, 'team-b'), ...others];
      const read = service.getEntitiesByRefs.bind(service);
      service.getEntitiesByRefs = async (...args) => {
        catalog.entities = [...others];
        return read(...args);
      };
      await cache.refresh();
      expect(cache.current()!.get(SVC)).toBeUndefined();
      expect(cache.changedSince([`g${SVC}`], g1)).toBe(true);
      // The next refresh agrees: nothing more to read.
      const g2 = cache.generation();
      await cache.refresh();
      expect(cache.generation()).toBe(g2);
    });

    it('reads everything again when more than an eighth changed, or entities carry no etag', async () => {
      const many = setup([component(), ...others]);
      await many.cache.refresh();
      // 5 of 31: a full read costs less than reading that many by ref.
      many.catalog.entities = [component(), ...others].map((e, i) =>
        i < 5 ? { ...e, spec: { ...e.spec, lifecycle: 'deprecated' } } : e,
      );
      many.calls.streams.length = 0;
      await many.cache.refresh();
      expect(many.calls.streams).toEqual([
        LISTING,
        ['apiVersion', 'kind', 'metadata', 'spec'],
      ]);
      expect(many.calls.byRefs).toEqual([]);
      expect(
        many.cache.current()!.get('component:default/other-3')?.spec?.lifecycle,
      ).toBe('deprecated');
      // An import going on: the next refresh reads everything without listing first, until a
      // full read finds little changed.
      many.calls.streams.length = 0;
      await many.cache.refresh();
      await many.cache.refresh();
      expect(many.calls.streams).toEqual([
        ['apiVersion', 'kind', 'metadata', 'spec'],
        LISTING,
      ]);

      const untagged = [component(), ...others].map(e => {
        const { etag: _etag, ...metadata } = e.metadata;
        return { ...e, metadata };
      });
      const bare = setup(untagged, undefined, 'as-given');
      await bare.cache.refresh();
      const g1 = bare.cache.generation();
      bare.calls.streams.length = 0;
      await bare.cache.refresh();
      expect(bare.calls.streams).toEqual([
        LISTING,
        ['apiVersion', 'kind', 'metadata', 'spec'],
      ]);
      expect(bare.cache.generation()).toBe(g1);
      bare.catalog.entities = [
        { ...untagged[0], spec: { owner: 'team-b' } },
        ...untagged.slice(1),
      ];
      await bare.cache.refresh();
      expect(bare.cache.current()!.get(SVC)?.spec?.owner).toBe('team-b');
      expect(bare.cache.changedSince([`g${SVC}`], g1)).toBe(true);
    });

    it('reads everything every 10 minutes, for entities that declare their own etag', async () => {
      // The catalog keeps an etag the entity brings, through edits: fixtures as given.
      const { cache, catalog, calls, advance } = setup(
        [component(), ...others],
        undefined,
        'as-given',
      );
      await cache.refresh();
      catalog.entities = [component({}, 'team-b'), ...others];
      advance(9 * 60_000);
      await cache.refresh();
      // Missed: the etag did not move.
      expect(cache.current()!.get(SVC)?.spec?.owner).toBe('team-a');
      calls.streams.length = 0;
      advance(60_000);
      await cache.refresh();
      expect(calls.streams).toEqual([
        ['apiVersion', 'kind', 'metadata', 'spec'],
      ]);
      expect(cache.current()!.get(SVC)?.spec?.owner).toBe('team-b');
    });

    it('falls back to a full read when the listing or a read by ref fails, or answers the wrong entity', async () => {
      const FULL = ['apiVersion', 'kind', 'metadata', 'spec'];
      const { cache, catalog, calls, service } = setup([
        component(),
        ...others,
      ]);
      await cache.refresh();
      const stream = service.streamEntities.bind(service);
      const byRefs = service.getEntitiesByRefs.bind(service);

      // The listing fails.
      service.streamEntities = (request, options) => {
        if (request?.fields?.includes('metadata.etag')) {
          throw new Error('listing refused');
        }
        return stream(request, options);
      };
      catalog.entities = [component({}, 'team-b'), ...others];
      calls.streams.length = 0;
      await cache.refresh();
      expect(calls.streams).toEqual([FULL]);
      expect(cache.current()!.get(SVC)?.spec?.owner).toBe('team-b');
      service.streamEntities = stream;

      // A read by ref fails, then answers another entity in its place.
      for (const broken of [
        async () => {
          throw new Error('by-refs refused');
        },
        async () => ({ items: [others[0]] }),
      ]) {
        service.getEntitiesByRefs = broken as typeof byRefs;
        const owner =
          cache.current()!.get(SVC)?.spec?.owner === 'team-a'
            ? 'team-b'
            : 'team-a';
        catalog.entities = [component({}, owner), ...others];
        calls.streams.length = 0;
        await cache.refresh();
        expect(calls.streams).toEqual([LISTING, FULL]);
        expect(cache.current()!.get(SVC)?.spec?.owner).toBe(owner);
        expect(cache.current()!.get('component:default/other-0')).toBeDefined();
      }
      service.getEntitiesByRefs = byRefs;
    });

    it('applies nothing from a refresh another one overtook (a slow read answering after the task timed out)', async () => {
      const { cache, catalog, service } = setup([component(), ...others]);
      await cache.refresh();
      const stream = service.streamEntities.bind(service);
      // The next read answers only when released, with what the catalog held when it was made.
      let release!: () => void;
      const gate = new Promise<void>(resolve => (release = resolve));
      let called!: () => void;
      const readStarted = new Promise<void>(resolve => (called = resolve));
      service.streamEntities = (...args) => {
        const pages = (async () => {
          const read = [];
          for await (const page of stream(...args)) read.push(page);
          return read;
        })();
        called();
        return (async function* slow() {
          const read = await pages;
          await gate;
          yield* read;
        })();
      };
      const overtaken = cache.refresh();
      await readStarted;
      service.streamEntities = stream;
      catalog.entities = [component({}, 'team-b'), ...others];
      await cache.refresh();
      const index = cache.current();
      const generation = cache.generation();
      expect(index!.get(SVC)?.spec?.owner).toBe('team-b');
      release();
      await overtaken;
      expect(cache.current()).toBe(index);
      expect(cache.generation()).toBe(generation);
    });

    it('keeps the previous snapshot when the full read fails too, and recovers at the next refresh', async () => {
      const { cache, catalog, service } = setup([component(), ...others]);
      await cache.refresh();
      const index = cache.current();
      const generation = cache.generation();
      const stream = service.streamEntities.bind(service);
      service.streamEntities = () => {
        throw new Error('catalog down');
      };
      catalog.entities = [component({}, 'team-b'), ...others];
      await expect(cache.refresh()).rejects.toThrow('catalog down');
      expect(cache.current()).toBe(index);
      expect(cache.generation()).toBe(generation);
      service.streamEntities = stream;
      await cache.refresh();
      expect(cache.current()!.get(SVC)?.spec?.owner).toBe('team-b');
      expect(cache.changedSince([`g${SVC}`], generation)).toBe(true);
    });

    it('reads everything while a ref is listed twice, and once after, counting every lookup changed', async () => {
      const FULL = ['apiVersion', 'kind', 'metadata', 'spec'];
      const { cache, catalog, calls } = setup([component(), ...others]);
      await cache.refresh();
      const g1 = cache.generation();
      const duplicate: Entity = {
        ...component(),
        spec: { ...component().spec, dependsOn: ['resource:db'] },
      };
      catalog.entities = [component(), ...others, duplicate];
      calls.streams.length = 0;
      await cache.refresh();
      expect(calls.streams).toEqual([LISTING, FULL]);
      expect(cache.changedSince(['gcomponent:default/other-7'], g1)).toBe(true);
      expect(cache.current()!.dependentsOf('resource:default/db')).toEqual([
        SVC,
      ]);
      // Unique again: read in full once more (the second entity's reverse lookups go).
      const g2 = cache.generation();
      catalog.entities = [component(), ...others];
      calls.streams.length = 0;
      await cache.refresh();
      expect(calls.streams).toEqual([FULL]);
      expect(cache.changedSince(['gcomponent:default/other-7'], g2)).toBe(true);
      expect(cache.current()!.dependentsOf('resource:default/db')).toEqual([]);
      calls.streams.length = 0;
      await cache.refresh();
      expect(calls.streams).toEqual([LISTING]);
    });

    it('leaves relations out, read in full or by ref', async () => {
      const related = (owner: string): Entity => ({
        ...component({}, owner),
        relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
      });
      const { cache, catalog, calls } = setup([related('team-a'), ...others]);
      await cache.refresh();
      expect(cache.current()!.get(SVC)).not.toHaveProperty('relations');
      catalog.entities = [related('team-b'), ...others];
      await cache.refresh();
      expect(calls.byRefs).toEqual([[SVC]]);
      expect(cache.current()!.get(SVC)?.spec?.owner).toBe('team-b');
      expect(cache.current()!.get(SVC)).not.toHaveProperty('relations');
    });

    it('reads everything when the clock was set back past the last full read', async () => {
      const { cache, calls, advance } = setup([component(), ...others]);
      await cache.refresh();
      advance(-60_000);
      calls.streams.length = 0;
      await cache.refresh();
      expect(calls.streams).toEqual([
        ['apiVersion', 'kind', 'metadata', 'spec'],
      ]);
    });

    it('reads more changed entities than one batch by ref, each under its own ref', async () => {
      // 501 changed of 4,100: under an eighth, more than one read of 500 refs.
      const many = Array.from({ length: 4_100 }, (_, i) =>
        component({ name: `s${i}`, uid: `s${i}` }),
      );
      const { cache, catalog, calls } = setup(many);
      await cache.refresh();
      catalog.entities = many.map((e, i) =>
        i < 501 ? { ...e, spec: { ...e.spec, owner: `team-${i}` } } : e,
      );
      await cache.refresh();
      expect(calls.byRefs.map(refs => refs.length)).toEqual([500, 1]);
      const index = cache.current()!;
      for (const i of [0, 499, 500, 501]) {
        expect(index.get(`component:default/s${i}`)?.spec?.owner).toBe(
          i < 501 ? `team-${i}` : 'team-a',
        );
      }
    });

    it('answers every lookup as a full read does, over 40 random catalog edits', async () => {
      // A small catalog edited at random; one cache reads what changed, the other (entities
      // without etags) reads everything every time. Their answers and changes must agree.
      let seed = 7;
      const random = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed % n;
      };
      const group = (i: number): Entity => ({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: `g${i}`, namespace: 'default' },
        spec: {
          type: 'team',
          children: [],
          ...(i > 0 ? { parent: `g${random(i)}` } : {}),
        },
      });
      const service = (i: number): Entity => ({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: `c${i}`, namespace: 'default' },
        spec: {
          type: 'service',
          lifecycle: 'production',
          owner: `g${random(4)}`,
          dependsOn: [`component:c${random(12)}`, `resource:r${random(3)}`],
          providesApis: [`a${random(3)}`],
          consumesApis: [`a${random(3)}`],
          system: `s${random(2)}`,
        },
      });
      const user = (i: number): Entity => ({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'User',
        metadata: { name: `u${i}`, namespace: 'default' },
        spec: { memberOf: [`g${random(4)}`] },
      });
      let entities: Entity[] = [
        ...Array.from({ length: 4 }, (_, i) => group(i)),
        ...Array.from({ length: 12 }, (_, i) => service(i)),
        ...Array.from({ length: 4 }, (_, i) => user(i)),
      ];
      const stripped = (list: Entity[]) =>
        list.map(e => {
          const { etag: _etag, ...metadata } = e.metadata;
          return { ...e, metadata };
        });
      const partial = setup(entities);
      const full = setup(stripped(entities), undefined, 'as-given');
      const refs = new Set<string>();
      const generations: [number, number][] = [];
      let partialReads = 0;
      for (let step = 0; step <= 40; step++) {
        if (step > 0) {
          const at = random(entities.length);
          const edit = random(5);
          if (edit === 0) entities = entities.filter((_, i) => i !== at);
          else if (edit === 1) entities = [...entities, service(12 + step)];
          else if (edit === 2)
            entities = entities.map((e, i) =>
              i === at && e.kind === 'Component'
                ? { ...service(random(12)), metadata: e.metadata }
                : e,
            );
          else if (edit === 3)
            entities = entities.map((e, i) =>
              i === at
                ? {
                    ...e,
                    metadata: {
                      ...e.metadata,
                      labels: {
                        'ops.example.com/maturity-level': `L${step % 3}`,
                      },
                    },
                  }
                : e,
            );
          // 4: nothing changed.
        }
        // The catalog streams in an order of its own (not the order of edits).
        const served = [...entities];
        for (let i = served.length - 1; i > 0; i--) {
          const j = random(i + 1);
          [served[i], served[j]] = [served[j], served[i]];
        }
        partial.catalog.entities = served;
        full.catalog.entities = stripped(served);
        const before = partial.calls.byRefs.length;
        await partial.cache.refresh();
        await full.cache.refresh();
        partialReads += partial.calls.byRefs.length - before;
        for (const e of entities)
          refs.add(
            `${e.kind.toLocaleLowerCase('en-US')}:default/${e.metadata.name}`,
          );
        for (const extra of [
          'resource:default/r0',
          'api:default/a1',
          'system:default/s0',
        ])
          refs.add(extra);
        const a = partial.cache.current()!;
        const b = full.cache.current()!;
        for (const ref of refs) {
          const got = a.get(ref);
          expect(got && stripped([got])[0]).toEqual(b.get(ref));
          expect(a.dependentsOf(ref)).toEqual(b.dependentsOf(ref));
          expect(a.consumersOfApi(ref)).toEqual(b.consumersOfApi(ref));
          expect(a.providersOfApi(ref)).toEqual(b.providersOfApi(ref));
          expect(a.membersOf(ref)).toEqual(b.membersOf(ref));
          expect(a.childGroupsOf(ref)).toEqual(b.childGroupsOf(ref));
          expect(a.parentOf(ref)).toEqual(b.parentOf(ref));
        }
        generations.push([partial.cache.generation(), full.cache.generation()]);
        const reads = [...refs].flatMap(ref =>
          ['g', 'd', 'c', 'p', 'm', 'k', 'a'].map(code => `${code}${ref}`),
        );
        const disagreeing = generations.flatMap(([gp, gf]) =>
          reads.filter(
            read =>
              partial.cache.changedSince([read], gp) !==
              full.cache.changedSince([read], gf),
          ),
        );
        expect(disagreeing).toEqual([]);
      }
      // The walk did take the partial path (not a full read every time).
      expect(partialReads).toBeGreaterThan(10);
    });
  });
});
