import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { T } from '../__fixtures__/demoCatalog';
import { api, catalog, component } from '../__fixtures__/syntheticCatalog';
import { normalizeRef } from '../refs/entityRefs';
import { buildGraphIndex } from './buildGraphIndex';
import { GraphIndex } from './GraphIndex';

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
