import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Entity } from '@backstage/catalog-model';
import { T, at } from '../__fixtures__/demoCatalog';
import { api, catalog, component } from '../__fixtures__/syntheticCatalog';
import { normalizeRef } from '../refs/entityRefs';
import { buildAliasMap } from './buildAliasMap';
import { buildGraphIndex } from './buildGraphIndex';
import { GraphIndex } from './GraphIndex';
import { ObservedEdgeRecord } from './types';

const nowMs = Date.parse(T);
const c = (name: string) => `component:default/${name}`;
const build = (entities: ReturnType<typeof catalog>) =>
  buildGraphIndex({
    entities,
    observedEdges: [],
    asOf: { catalog: T, observedEdges: T },
  });
const edgesOf = (index: GraphIndex) =>
  index.logicalEdges(nowMs).map(e => ({
    ...e,
    from: index.refOf(e.from),
    to: index.refOf(e.to),
  }));

describe('normalizeRef', () => {
  const slow = (ref: string, defaultKind?: string) =>
    stringifyEntityRef(
      parseEntityRef(ref.trim(), { defaultKind, defaultNamespace: 'default' }),
    ).toLocaleLowerCase('en-US');

  it.each([
    'component:default/checkout',
    'Component:Default/Checkout-Service',
    'component:default/a:b',
    'a:b:c/d',
    'api:payments/v1/charges',
    ' component:default/x ',
    'component:default/x\n',
    'resource:ns/ÄÖÜ-İ-Σ',
    'default/checkout',
    'checkout',
    'group:team',
  ])('gives the parse-and-stringify answer for %j', ref => {
    expect(normalizeRef(ref, 'component')).toBe(slow(ref, 'component'));
  });

  it.each([':x/y', 'c:/y', 'c:x/', ''])(
    'rejects %j like the slow path',
    ref => {
      expect(() => slow(ref, 'component')).toThrow();
      expect(() => normalizeRef(ref, 'component')).toThrow();
    },
  );
});

describe('GraphIndex storage', () => {
  it('materializes node records from its columns', () => {
    const index = build(
      catalog(
        {
          ...component('web', { tier: '1', aliases: 'Web, storefront' }),
          metadata: {
            name: 'web',
            namespace: 'default',
            title: 'Web storefront',
            labels: {
              'ops.example.com/tier': '1',
              'ops.example.com/customer-facing': 'true',
            },
            annotations: {
              'ops.example.com/aliases': 'Web, storefront',
              'ops.example.com/entry-points': 'web:/checkout, api:POST /v1',
              'ops.example.com/regions': 'eu-west-1',
            },
          },
        },
        component('api-gw', { dependsOn: ['resource:default/gone'] }),
      ),
    );
    const id = index.idOf(c('web'));
    expect(index.node(id, nowMs)).toEqual({
      ref: c('web'),
      kind: 'component',
      title: 'Web storefront',
      owner: 'group:default/team',
      system: null,
      lifecycle: 'production',
      tier: 1,
      customerFacing: true,
      entryPoints: ['web:/checkout', 'api:POST /v1'],
      regions: ['eu-west-1'],
      dataDomains: [],
      aliases: ['web', 'storefront'],
      telemetryPresence: false,
      resolved: true,
      id,
    });
    const gone = index.idOf('resource:default/gone');
    expect(index.node(gone, nowMs)).toMatchObject({
      kind: 'resource',
      title: 'gone',
      owner: null,
      tier: null,
      customerFacing: null,
      resolved: false,
    });
    expect(index.isResolved(gone)).toBe(false);
    expect(index.titleOf(id)).toBe('Web storefront');

    // what a search reads per entity: the same fields, lists only where there are some
    for (const node of [id, gone, index.idOf(c('api-gw'))]) {
      const { ref, kind, title, owner, system, lifecycle, tier, ...rest } =
        index.node(node, nowMs);
      expect(index.summary(node)).toEqual({
        ref,
        kind,
        title,
        owner,
        system,
        lifecycle,
        tier,
        customerFacing: rest.customerFacing,
        resolved: rest.resolved,
      });
    }
    expect(index.listsOf(id)).toEqual([
      ['web:/checkout', 'api:POST /v1'],
      ['eu-west-1'],
      [],
    ]);
    expect(index.listsOf(gone)).toBeUndefined();
  });

  it('keeps an edge while any contributor still declares it, with all its reasons (R23)', () => {
    const entities = catalog(
      component('a', {
        dependsOn: ['component:b'],
        consumesApis: ['api:b-api'],
      }),
      component('b', { providesApis: ['api:b-api'] }),
      api('b-api'),
    );
    const index = build(entities);
    expect(edgesOf(index)).toEqual([
      expect.objectContaining({
        from: c('a'),
        to: c('b'),
        reasons: ['consumesApi:api:default/b-api', 'dependsOn'],
      }),
    ]);

    // a stops declaring dependsOn; b's mirrored dependencyOf still declares it
    const [a, b] = entities;
    index.upsertEntity({
      ...a,
      relations: a.relations!.filter(r => r.type !== 'dependsOn'),
    });
    expect(edgesOf(index)[0].reasons).toEqual([
      'consumesApi:api:default/b-api',
      'dependsOn',
    ]);
    // b stops too: only the API reason is left
    index.upsertEntity({
      ...b,
      relations: b.relations!.filter(r => r.type !== 'dependencyOf'),
    });
    expect(edgesOf(index)[0].reasons).toEqual([
      'consumesApi:api:default/b-api',
    ]);
    // the provider goes away: the consumer now needs an API without provider (R21)
    index.removeEntity(c('b'));
    expect(edgesOf(index)).toEqual([
      expect.objectContaining({
        from: c('a'),
        to: 'api:default/b-api',
        reasons: ['consumesApi:api:default/b-api'],
      }),
    ]);
    expect(index.isResolved(index.idOf('api:default/b-api'))).toBe(false);
  });

  it('answers the same after edits, re-adds and compaction as a fresh build', () => {
    const entities = catalog(
      component('a', { dependsOn: ['component:b', 'component:c'] }),
      component('b', {
        dependsOn: ['component:c'],
        consumesApis: ['api:c-api'],
      }),
      component('c', { providesApis: ['api:c-api'], system: 'system:s' }),
      component('d', { dependsOn: ['component:a'], system: 'system:s' }),
      api('c-api'),
    );
    const fresh = build(entities);
    const edited = build(entities);
    for (const e of [...entities].reverse()) edited.upsertEntity(e);
    edited.removeEntity(c('b'));
    edited.removeEntity(c('c'));
    edited.upsertEntity(entities[2]);
    edited.upsertEntity(entities[1]);
    for (const index of [edited, (edited.compact(), edited)]) {
      expect(edgesOf(index)).toEqual(edgesOf(fresh));
      for (const ref of [c('a'), c('b'), c('c'), c('d'), 'api:default/c-api']) {
        const { id: _a, ...x } = index.node(index.idOf(ref), nowMs);
        const { id: _b, ...y } = fresh.node(fresh.idOf(ref), nowMs);
        expect(x).toEqual(y);
      }
      expect(
        index
          .membersOf(index.idOf('system:default/s'))
          .map(m => index.refOf(m)),
      ).toEqual([c('c'), c('d')]);
    }
  });
});

const seen = (
  client: string,
  server: string,
  lastSeen: string,
  connectionType: ObservedEdgeRecord['connectionType'] = '',
): ObservedEdgeRecord => ({
  client,
  server,
  connectionType,
  firstSeen: at(-60 * 24 * 60),
  lastSeen,
  source: 'test',
});

describe('R19: unmapped telemetry names are in a total order, whatever the input order', () => {
  const entities = catalog(component('a', { aliases: 'a' }));
  const records = [
    seen('a', 'x', at(-2)),
    seen('x', 'a', at(-3)),
    seen('a', 'b', at(-4)),
    seen('b', 'a', at(-5)),
  ];
  const unmappedOf = (observedEdges: ObservedEdgeRecord[]) => {
    const index = buildGraphIndex({
      entities,
      observedEdges,
      asOf: { catalog: T, observedEdges: T },
    });
    return index.unmappedOf(index.idOf(c('a'))).map(u => [u.name, u.role]);
  };
  it.each([
    ['as given', records],
    ['reversed', [...records].reverse()],
    ['interleaved', [records[1], records[3], records[0], records[2]]],
  ])('%s', (_name, observed) => {
    expect(unmappedOf(observed)).toEqual([
      ['b', 'callee'],
      ['b', 'caller'],
      ['x', 'callee'],
      ['x', 'caller'],
    ]);
  });
});

describe('unmapped telemetry names are matched without case, as aliases are', () => {
  it.each([
    ['as given', ['Tax-Svc', 'tax-svc']],
    ['reversed', ['tax-svc', 'Tax-Svc']],
  ])(
    'lists `Tax-Svc` and `tax-svc` once, with the later sighting, whatever the order (%s)',
    (_order, names) => {
      const index = buildGraphIndex({
        entities: catalog(component('a', { aliases: 'a' })),
        observedEdges: [
          seen('a', names[0], at(-5)),
          seen('a', names[1], at(-2)),
        ],
        asOf: { catalog: T, observedEdges: T },
      });
      const unmapped = index.unmappedOf(index.idOf(c('a')));
      expect(unmapped.map(u => [u.name, u.role])).toEqual([
        ['Tax-Svc', 'callee'],
      ]);
      expect(unmapped[0].lastSeen).toBe(at(-2));
    },
  );
});

describe('unmapped names in a total order after a spelling changes (R19)', () => {
  it.each([
    ['as given', ['Dx', 'checkout', 'Checkout']],
    ['reversed', ['Checkout', 'checkout', 'Dx']],
  ])('%s', (_order, names) => {
    const index = buildGraphIndex({
      entities: catalog(component('a', { aliases: 'a' })),
      observedEdges: names.map((n, i) => seen('a', n, at(-10 + i))),
      asOf: { catalog: T, observedEdges: T },
    });
    expect(index.unmappedOf(index.idOf(c('a'))).map(u => u.name)).toEqual([
      'Checkout',
      'Dx',
    ]);
  });
});

describe('timestamps are compared as instants, not as strings', () => {
  const entities = catalog(component('a', { aliases: 'a' }));
  it.each([
    // 06:00Z written with an offset sorts before 02:04Z as a string
    ['an offset', ['2026-03-14T02:04:00Z', '2026-03-14T01:00:00-05:00']],
    // `Z` sorts after `.`: 02:00:00Z reads later than 02:00:00.500Z as a string
    ['fractions', ['2026-03-14T02:00:00.500Z', '2026-03-14T02:00:00Z']],
  ])('the later sighting of an unmapped name wins (%s)', (_name, times) => {
    const latest = Math.max(...times.map(t => Date.parse(t)));
    for (const order of [times, [...times].reverse()]) {
      const index = buildGraphIndex({
        entities,
        observedEdges: order.map(t => seen('a', 'x', t)),
        asOf: { catalog: T, observedEdges: T },
      });
      const [u] = index.unmappedOf(index.idOf(c('a')));
      expect(Date.parse(u.lastSeen)).toBe(latest);
    }
  });
});

describe('R17: merging observed edges advances asOf.observedEdges', () => {
  const entities = catalog(
    component('a', { aliases: 'a' }),
    component('b', { aliases: 'b' }),
  );
  const start = () =>
    buildGraphIndex({
      entities,
      observedEdges: [],
      asOf: { catalog: T, observedEdges: at(-120) },
    });
  it.each<[string, ObservedEdgeRecord[], string | undefined, string]>([
    [
      'to the latest sighting of the batch',
      [seen('a', 'b', at(-30)), seen('b', 'a', at(-10))],
      undefined,
      at(-10),
    ],
    [
      'to the collection time when given',
      [seen('a', 'b', at(-30))],
      at(-1),
      at(-1),
    ],
    ['never backwards', [seen('a', 'b', at(-600))], undefined, at(-120)],
    [
      'not for an empty batch without a collection time',
      [],
      undefined,
      at(-120),
    ],
    ['for an empty batch with a collection time', [], at(-2), at(-2)],
  ])('%s', (_name, records, collectedAt, expected) => {
    const index = start();
    index.addObservedEdges(records, buildAliasMap(entities), collectedAt);
    expect(index.asOf.observedEdges).toBe(expected);
    expect(index.asOf.catalog).toBe(T);
  });
});

describe('R17: a rebuild without the edge feed carries the observations over', () => {
  const before = catalog(
    component('a', { aliases: 'a' }),
    component('b', { aliases: 'b' }),
    component('gone', { aliases: 'gone' }),
  );
  const previous = buildGraphIndex({
    entities: before,
    observedEdges: [
      seen('a', 'b', at(-3 * 24 * 60)),
      seen('q', 'b', at(-20), 'messaging_system'),
      seen('a', 'gone', at(-5)),
      seen('a', 'tax-svc', at(-7)),
    ],
    asOf: { catalog: T, observedEdges: '' },
  });
  // `gone` left the catalog; `c` is new and declares a dependency on `a`
  const rebuilt = buildGraphIndex({
    entities: catalog(
      component('a', { aliases: 'a' }),
      component('b', { aliases: 'b' }),
      component('c', { dependsOn: ['component:a'] }),
    ),
    observedEdges: [],
    asOf: { catalog: T, observedEdges: '' },
    carryObservationsFrom: previous,
  });

  it('keeps each observed edge with its sighting, interaction and drift; rebuilds declared ones', () => {
    expect(
      edgesOf(rebuilt).map(e => [
        e.from,
        e.to,
        e.evidence,
        e.observation,
        e.interaction,
        e.lastSeen,
      ]),
    ).toEqual([
      [c('a'), c('b'), 'observed', 'stale', 'sync', at(-3 * 24 * 60)],
      [c('c'), c('a'), 'declared', 'unverifiable', 'sync', undefined],
    ]);
  });

  it('keeps telemetry presence, unmapped names and the age of the observations', () => {
    const id = rebuilt.idOf(c('a'));
    expect(rebuilt.hasPresence(id, nowMs)).toBe(true);
    expect(rebuilt.unmappedOf(id).map(u => [u.name, u.role])).toEqual([
      ['tax-svc', 'callee'],
    ]);
    expect(rebuilt.asOf.observedEdges).toBe(previous.asOf.observedEdges);
    expect(rebuilt.asOf.observedEdges).toBe(at(-5));
  });

  it('drops what an entity that left the catalog was seen in', () => {
    expect(rebuilt.idOf(c('gone'))).toBe(-1);
  });
});

describe('§2.4 interaction: an observation beyond retention no longer makes an edge sync', () => {
  const queue: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'q',
      namespace: 'default',
      annotations: { 'ops.example.com/aliases': 'q' },
    },
    spec: { type: 'queue', owner: 'group:default/team' },
  };
  const entities = catalog(
    component('a', { aliases: 'a', dependsOn: ['resource:default/q'] }),
    queue,
  );
  it.each([
    ['fresh sync observation → sync', 1, 'sync'],
    ['stale sync observation (within retention) → sync', 3 * 24 * 60, 'sync'],
    [
      'sync observation older than retention (30 d) → async',
      31 * 24 * 60,
      'async',
    ],
  ])('%s', (_name, minutesAgo, interaction) => {
    const index = buildGraphIndex({
      entities,
      observedEdges: [seen('a', 'q', at(-minutesAgo))],
      asOf: { catalog: T, observedEdges: T },
    });
    const [edge] = index.logicalEdges(nowMs);
    expect(edge).toMatchObject({ evidence: expect.any(String), interaction });
  });
});
