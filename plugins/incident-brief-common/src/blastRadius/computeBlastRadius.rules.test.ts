import type { Entity } from '@backstage/catalog-model';
import { buildGraphIndex } from '../graph/buildGraphIndex';
import { ObservedEdgeRecord } from '../graph/types';
import { buildDemoIndex } from '../__fixtures__/buildDemoIndex';
import {
  T,
  at,
  demoEntities,
  demoObservedEdges,
  ref,
} from '../__fixtures__/demoCatalog';
import { api, catalog, component } from '../__fixtures__/syntheticCatalog';
import { computeBlastRadius } from './computeBlastRadius';
import { BlastRadiusInputError } from './BlastRadiusInputError';
import { encodeCursor } from './pageCursor';

const c = (name: string) => `component:default/${name}`;
const indexOf = (
  entities: ReturnType<typeof catalog>,
  observed: ObservedEdgeRecord[] = [],
) =>
  buildGraphIndex({
    entities,
    observedEdges: observed,
    asOf: { catalog: T, observedEdges: T },
  });
const obs = (
  client: string,
  server: string,
  minutesAgo: number,
  type: ObservedEdgeRecord['connectionType'] = '',
): ObservedEdgeRecord => ({
  client,
  server,
  connectionType: type,
  firstSeen: at(-minutesAgo - 60),
  lastSeen: at(-minutesAgo),
  source: 'test',
});

describe('R5 cycles', () => {
  it('A → B → C → A: radius of A is {C: 1, B: 2}, one rotated cycle, 3 edges examined', () => {
    const index = indexOf(
      catalog(
        component('a', { dependsOn: ['component:b'] }),
        component('b', { dependsOn: ['component:c'] }),
        component('c', { dependsOn: ['component:a'] }),
      ),
    );
    const r = computeBlastRadius(index, [c('a')], { hops: 3 }, T);
    expect(r.impacted.map(i => [i.ref, i.hop])).toEqual([
      [c('c'), 1],
      [c('b'), 2],
    ]);
    expect(r.cycles).toEqual([[c('a'), c('b'), c('c')]]);
    expect(r.edgeStats.examined).toBe(3);
  });

  it('mutual pair X ⇄ Y: radius of X is {Y: 1} with one cycle [X, Y]', () => {
    const index = indexOf(
      catalog(
        component('x', { dependsOn: ['component:y'] }),
        component('y', { dependsOn: ['component:x'] }),
      ),
    );
    const r = computeBlastRadius(index, [c('x')], { hops: 10 }, T);
    expect(r.impacted.map(i => [i.ref, i.hop])).toEqual([[c('y'), 1]]);
    expect(r.cycles).toEqual([[c('x'), c('y')]]);
  });

  it('dependencies direction reports the cycle in dependency order too', () => {
    const index = indexOf(
      catalog(
        component('a', { dependsOn: ['component:b'] }),
        component('b', { dependsOn: ['component:c'] }),
        component('c', { dependsOn: ['component:a'] }),
      ),
    );
    const r = computeBlastRadius(
      index,
      [c('b')],
      { direction: 'dependencies' },
      T,
    );
    expect(r.impacted.map(i => i.ref)).toEqual([c('c'), c('a')]);
    expect(r.cycles).toEqual([[c('a'), c('b'), c('c')]]);
  });
});

describe('R6 10,000 dependents', () => {
  const names = Array.from(
    { length: 10000 },
    (_, i) => `d${String(i).padStart(5, '0')}`,
  );
  const index = indexOf(
    catalog(
      component('r'),
      ...names.map(n =>
        component(n, { tier: '3', dependsOn: ['component:r'] }),
      ),
    ),
  );

  it('counts the full set, pages 200 at a time and the cursor walks all 10,000', () => {
    const first = computeBlastRadius(index, [c('r')], {}, T);
    expect(first.counts.total).toBe(10000);
    expect(first.counts.byHop).toEqual({ 1: 10000 });
    expect(first.impacted.map(i => i.ref)).toEqual(names.slice(0, 200).map(c));
    expect(first.truncated).toBe(true);
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(first.confidence).toEqual({ ratio: 0, level: 'low' });

    const seen = new Set(first.impacted.map(i => i.ref));
    let cursor = first.nextCursor;
    let pages = 1;
    while (cursor) {
      const page = computeBlastRadius(index, [c('r')], { cursor }, T);
      page.impacted.forEach(i => seen.add(i.ref));
      cursor = page.nextCursor;
      pages++;
      expect(page.counts.total).toBe(10000);
    }
    expect(pages).toBe(50);
    expect(seen.size).toBe(10000);
  });

  it('refuses a cursor from another query', () => {
    const first = computeBlastRadius(index, [c('r')], {}, T);
    expect(() =>
      computeBlastRadius(
        index,
        [c('r')],
        { hops: 2, cursor: first.nextCursor },
        T,
      ),
    ).toThrow('cursor is not valid for this query');
  });

  it('answers a cursor past the end of the radius with an empty last page', () => {
    const queryKey = JSON.stringify([[c('r')], 3, 'all', true, 'dependents']);
    const past = computeBlastRadius(
      index,
      [c('r')],
      { cursor: encodeCursor(queryKey, 10000) },
      T,
    );
    expect(past.impacted).toEqual([]);
    expect(past.nextCursor).toBeUndefined();
    expect(past.counts.total).toBe(10000);
  });
});

describe('R12 hops validation', () => {
  const index = buildDemoIndex();
  it.each([11, -1, 2.5, 'abc'])(
    'hops=%p → 400 with the exact message',
    hops => {
      let error: unknown;
      try {
        computeBlastRadius(
          index,
          [ref('checkout-service')],
          { hops: hops as number },
          T,
        );
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(BlastRadiusInputError);
      expect((error as BlastRadiusInputError).status).toBe(400);
      expect((error as Error).message).toBe(
        `hops must be an integer between 0 and 10 (got ${hops})`,
      );
    },
  );
  it('hops=0 gives an empty list', () => {
    expect(
      computeBlastRadius(index, [ref('checkout-service')], { hops: 0 }, T)
        .impacted,
    ).toEqual([]);
  });
});

describe('now', () => {
  // freshness and confidence are computed against `now`: an unreadable one would silently
  // turn every observation into `none` and report a confident-looking answer
  it.each([
    'not a date',
    '',
    '2026-13-45T00:00:00Z',
    // Date.parse reads these, in a local zone or as another day: not instants with a zone
    'March 14, 2026',
    'Sat, 14 Mar 2026 02:05:00 GMT',
    '2026-03-14',
    '2026-03-14T02:05:00',
    '2026-02-30T00:00:00Z',
    '2026-03-14T02:05:00Z trailing',
  ])('%j → 400', now => {
    expect(() =>
      computeBlastRadius(buildDemoIndex(), [c('checkout-service')], {}, now),
    ).toThrow(
      new BlastRadiusInputError(
        400,
        `now must be an ISO-8601 timestamp with a zone on a day that exists, like 2026-03-14T02:05:00Z (got ${JSON.stringify(
          now,
        )})`,
      ),
    );
  });
  it.each([
    '2026-03-14T02:05Z',
    '2026-03-14T02:05:00Z',
    '2026-03-14T02:05:00.000Z',
    '2026-03-14T03:05:00+01:00',
    '2026-03-14t02:05:00z',
  ])('%j is an instant', now => {
    expect(
      computeBlastRadius(buildDemoIndex(), [c('checkout-service')], {}, now)
        .counts.total,
    ).toBe(2);
  });
});

describe('R13 roots', () => {
  const index = buildDemoIndex();
  it.each([
    'group:default/checkout-team',
    'user:default/ana.ruiz',
    'domain:default/commerce',
  ])('%s → 400', root => {
    expect(() => computeBlastRadius(index, [root], {}, T)).toThrow(
      new BlastRadiusInputError(
        400,
        'blast radius applies to Component, Resource, API or System',
      ),
    );
  });
  it('unknown entity → 404 naming the ref', () => {
    let error: BlastRadiusInputError | undefined;
    try {
      computeBlastRadius(index, ['component:default/nope'], {}, T);
    } catch (e) {
      error = e as BlastRadiusInputError;
    }
    expect(error?.status).toBe(404);
    expect(error?.message).toContain('component:default/nope');
  });
  it('an API root reaches its consumers at hop 1', () => {
    const r = computeBlastRadius(
      index,
      ['api:default/checkout-api'],
      { hops: 1 },
      T,
    );
    expect(r.impacted.map(i => [i.ref, i.hop])).toEqual([
      [ref('api-gateway'), 1],
    ]);
    expect(r.impacted[0].path[0]).toMatchObject({
      from: ref('api-gateway'),
      to: 'api:default/checkout-api',
    });
  });
});

describe('R4 and R21 unresolved refs', () => {
  const index = indexOf(
    catalog(
      component('shop', {
        dependsOn: ['resource:legacy-promo-db'],
        consumesApis: ['api:x'],
      }),
      component('root', { dependencyOf: ['component:ghost'] }),
      // customer-facing with an entry point and a region: an API without a provider is still
      // unresolved, so none of these may count (R4)
      {
        ...api('x'),
        metadata: {
          name: 'x',
          namespace: 'default',
          labels: { 'ops.example.com/customer-facing': 'true' },
          annotations: {
            'ops.example.com/entry-points': 'api:POST /x',
            'ops.example.com/regions': 'eu-west-1',
          },
        },
      },
    ),
  );
  it('a dependency on a deleted entity is an unresolved node, not expanded, not tier-counted', () => {
    const r = computeBlastRadius(
      index,
      [c('shop')],
      { direction: 'dependencies' },
      T,
    );
    expect(r.impacted.map(i => [i.ref, i.resolved])).toEqual([
      ['api:default/x', false],
      ['resource:default/legacy-promo-db', false],
    ]);
    expect(r.counts.unresolved).toBe(2);
    expect(r.counts.byTier).toEqual({ 1: 0, 2: 0, 3: 0, unknown: 0 });
    expect(r.counts.customerFacing).toBe(0);
    expect(r.counts.regions).toEqual({});
    expect(r.entryPoints).toEqual([]);
    expect(r.unresolved).toEqual([
      {
        ref: 'api:default/x',
        referencedBy: c('shop'),
        reason: 'api-without-provider',
      },
      {
        ref: 'resource:default/legacy-promo-db',
        referencedBy: c('shop'),
        reason: 'dependsOn',
      },
    ]);
  });
  it('a dependent named only in dependencyOf is unresolved too', () => {
    const r = computeBlastRadius(index, [c('root')], {}, T);
    expect(r.impacted.map(i => [i.ref, i.resolved])).toEqual([
      [c('ghost'), false],
    ]);
    expect(r.unresolved).toEqual([
      { ref: c('ghost'), referencedBy: c('root'), reason: 'dependsOn' },
    ]);
  });
});

describe('R14–R16 observed-edge mapping', () => {
  it('R14 an alias claimed twice maps nothing and is reported on both', () => {
    const index = indexOf(
      catalog(
        component('one', { aliases: 'checkout' }),
        component('two', { aliases: 'checkout' }),
        component('caller', { aliases: 'caller' }),
      ),
      [obs('caller', 'checkout', 1)],
    );
    expect(index.aliasConflicts).toEqual([
      { alias: 'checkout', refs: [c('one'), c('two')] },
    ]);
    expect(index.logicalEdges(Date.parse(T))).toEqual([]);
    expect(index.unmappedOf(index.idOf(c('caller')))).toEqual([]);
  });
  it('R15 self-loops are ignored', () => {
    const index = indexOf(catalog(component('solo', { aliases: 'solo' })), [
      obs('solo', 'solo', 1),
      obs('solo', 'SOLO', 1),
    ]);
    expect(index.logicalEdges(Date.parse(T))).toEqual([]);
  });
  // a self-loop is not telemetry presence either: it says nothing about callers (§3.3 no-edge rule)
  it.each<[string, ObservedEdgeRecord[]]>([
    ['raw (same name)', [obs('solo-a', 'solo-a', 1)]],
    [
      'after alias mapping (two aliases of one entity)',
      [obs('solo-a', 'solo-b', 1)],
    ],
  ])(
    'R15 a self-loop %s gives no presence and no confidence',
    (_name, records) => {
      const index = indexOf(
        catalog(component('solo', { aliases: 'solo-a, solo-b' })),
        records,
      );
      const id = index.idOf(c('solo'));
      expect(index.logicalEdges(Date.parse(T))).toEqual([]);
      expect(index.hasPresence(id, Date.parse(T))).toBe(false);
      expect(computeBlastRadius(index, [c('solo')], {}, T).confidence).toEqual({
        ratio: null,
        level: 'unknown',
      });
    },
  );
  it('R16 an unmapped name stays on the mapped side and never becomes a node', () => {
    const index = buildDemoIndex();
    expect(index.idOf('component:default/tax-svc')).toBe(-1);
    expect(index.unmappedOf(index.idOf(ref('checkout-service')))).toEqual([
      {
        ref: ref('checkout-service'),
        name: 'tax-svc',
        role: 'callee',
        lastSeen: at(-2),
      },
    ]);
  });
});

describe('R18 System root', () => {
  it('searches from every member at hop 0; members never appear', () => {
    const index = buildDemoIndex();
    const r = computeBlastRadius(index, ['system:default/checkout'], {}, T);
    expect(r.impacted.map(i => [i.ref, i.hop])).toEqual([
      [ref('api-gateway'), 1],
      [ref('web-storefront'), 2],
    ]);
    expect(r.impacted.map(i => i.ref)).not.toContain(ref('checkout-db'));
  });
});

describe('R19 determinism', () => {
  it('input order of entities and edges does not change the result', () => {
    const a = buildDemoIndex();
    const b = buildGraphIndex({
      entities: [...demoEntities()].reverse(),
      observedEdges: [...demoObservedEdges()].reverse(),
      asOf: { catalog: T, observedEdges: T },
    });
    for (const root of ['inventory-db', 'order-events', 'checkout-service']) {
      for (const direction of ['dependents', 'dependencies'] as const) {
        expect(
          JSON.stringify(computeBlastRadius(b, [ref(root)], { direction }, T)),
        ).toBe(
          JSON.stringify(computeBlastRadius(a, [ref(root)], { direction }, T)),
        );
      }
    }
  });
});

describe('R22 deprecated dependents', () => {
  it('are flagged in the list', () => {
    const index = indexOf(
      catalog(
        component('core'),
        component('old', {
          lifecycle: 'deprecated',
          dependsOn: ['component:core'],
        }),
      ),
    );
    expect(
      computeBlastRadius(index, [c('core')], {}, T).impacted[0],
    ).toMatchObject({ ref: c('old'), deprecated: true });
  });
});

describe('R23 duplicate declared reasons', () => {
  it('merge into one logical edge examined once', () => {
    const index = indexOf(
      catalog(
        component('a', {
          dependsOn: ['component:b'],
          consumesApis: ['api:b-api'],
        }),
        component('b', { providesApis: ['api:b-api'] }),
        api('b-api'),
      ),
    );
    const r = computeBlastRadius(index, [c('b')], {}, T);
    expect(r.edgeStats.examined).toBe(1);
    expect(r.impacted[0].path[0].reasons).toEqual([
      'consumesApi:api:default/b-api',
      'dependsOn',
    ]);
  });
});

describe('R24 and R17 stale observed edges', () => {
  const entities = catalog(
    component('a', { aliases: 'a' }),
    component('b', { aliases: 'b' }),
  );
  const index = indexOf(entities, [obs('a', 'b', 3 * 24 * 60)]);
  it('a stale-only edge is omitted with includeStale=false', () => {
    expect(
      computeBlastRadius(index, [c('b')], { includeStale: false }, T).impacted,
    ).toEqual([]);
  });
  it('and included as unconfirmed by default', () => {
    const r = computeBlastRadius(index, [c('b')], {}, T);
    expect(r.impacted.map(i => i.ref)).toEqual([c('a')]);
    expect(r.edgeStats).toMatchObject({ examined: 1, confirmed: 0, stale: 1 });
    expect(r.confidence.level).toBe('low');
  });
  it('R17 fresh edges age into stale and drop out after retention, using the same index', () => {
    const fresh = indexOf(entities, [obs('a', 'b', 1)]);
    const step = (now: string) =>
      computeBlastRadius(fresh, [c('b')], {}, now).impacted[0]?.path[0]
        .observation;
    expect(step(T)).toBe('fresh');
    expect(step(at(25 * 60))).toBe('stale');
    expect(step(at(31 * 24 * 60))).toBeUndefined();
  });
});

describe('R25 incremental update', () => {
  it('a processed entity that adds dependsOn appears on the next search; removal takes it away', () => {
    const index = buildDemoIndex();
    const before = computeBlastRadius(
      index,
      [ref('payment-provider')],
      { hops: 1 },
      T,
    );
    expect(before.impacted.map(i => i.ref)).toEqual([ref('payment-service')]);
    const [x] = catalog(
      component('x-service', {
        dependsOn: ['resource:payment-provider'],
        tier: '2',
      }),
    );
    index.upsertEntity(x);
    const after = computeBlastRadius(
      index,
      [ref('payment-provider')],
      { hops: 1 },
      T,
    );
    expect(after.impacted.map(i => i.ref)).toEqual([
      ref('payment-service'),
      c('x-service'),
    ]);
    index.removeEntity(c('x-service'));
    expect(
      computeBlastRadius(
        index,
        [ref('payment-provider')],
        { hops: 1 },
        T,
      ).impacted.map(i => i.ref),
    ).toEqual([ref('payment-service')]);
  });
  it('removing an API entity keeps its consumers depending on its providers, as a fresh build does', () => {
    const index = buildDemoIndex();
    const isInventoryApi = (e: Entity) =>
      e.kind === 'API' && e.metadata.name === 'inventory-api';
    expect(demoEntities().some(isInventoryApi)).toBe(true);
    index.removeEntity('api:default/inventory-api');
    // The consumers and providers keep their relations to the API's ref (their YAML names it).
    const rebuilt = buildGraphIndex({
      entities: demoEntities().filter(e => !isInventoryApi(e)),
      observedEdges: demoObservedEdges(),
      asOf: { catalog: T, observedEdges: T },
    });
    const radius = (i: typeof index) =>
      computeBlastRadius(i, [c('inventory-service')], {}, T);
    expect(radius(index).impacted.map(i => i.ref)).toContain(
      c('order-service'),
    );
    expect(JSON.stringify(radius(index))).toBe(JSON.stringify(radius(rebuilt)));
  });
  it('after compaction the index answers exactly like a fresh build', () => {
    const index = buildDemoIndex();
    const [x] = catalog(
      component('aaa', { dependsOn: ['component:checkout-service'] }),
    );
    index.upsertEntity(x);
    const merged = JSON.stringify(
      computeBlastRadius(index, [ref('inventory-db')], {}, T),
    );
    index.compact();
    expect(
      JSON.stringify(computeBlastRadius(index, [ref('inventory-db')], {}, T)),
    ).toBe(merged);
    const rebuilt = buildGraphIndex({
      entities: [...demoEntities(), x],
      observedEdges: demoObservedEdges(),
      asOf: { catalog: T, observedEdges: T },
    });
    expect(
      JSON.stringify(computeBlastRadius(rebuilt, [ref('inventory-db')], {}, T)),
    ).toBe(merged);
  });
});

describe('counts keyed by data (owners, systems, regions, data domains) take any name', () => {
  it('a region or data domain named like an Object.prototype member is counted like any other', () => {
    const names = ['constructor', '__proto__', 'toString', 'eu-west-1'];
    const index = indexOf(
      catalog(component('core'), {
        ...component('edge', { dependsOn: ['component:core'] }),
        metadata: {
          name: 'edge',
          namespace: 'default',
          annotations: {
            'ops.example.com/regions': names.join(','),
            'ops.example.com/data-domains': names.join(','),
          },
        },
      }),
    );
    const r = computeBlastRadius(index, [c('core')], {}, T);
    for (const map of [r.counts.regions, r.counts.dataDomains]) {
      expect(Object.keys(map).sort()).toEqual([...names].sort());
      for (const name of names) {
        expect(Object.getOwnPropertyDescriptor(map, name)?.value).toBe(1);
      }
    }
    expect(JSON.parse(JSON.stringify(r.counts.regions))).toEqual(
      JSON.parse('{"constructor":1,"__proto__":1,"toString":1,"eu-west-1":1}'),
    );
  });
});

describe('§3.2 step 5: immediate impact ignores observations beyond retention', () => {
  it('a dependent whose only sync evidence is 31 days old is deferred behind the queue', () => {
    const entities = catalog(
      component('a', { aliases: 'a', dependsOn: ['resource:default/q'] }),
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: 'q',
          namespace: 'default',
          annotations: { 'ops.example.com/aliases': 'q' },
        },
        spec: { type: 'queue', owner: 'group:default/team' },
      },
    );
    const index = indexOf(entities, [obs('a', 'q', 31 * 24 * 60)]);
    const r = computeBlastRadius(index, ['resource:default/q'], {}, T);
    expect(r.impacted).toMatchObject([
      { ref: c('a'), immediate: false, path: [{ interaction: 'async' }] },
    ]);
    expect(r.counts).toMatchObject({ immediate: 0, deferred: 1 });
  });
});
