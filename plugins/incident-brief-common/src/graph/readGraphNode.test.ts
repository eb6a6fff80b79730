import { Entity } from '@backstage/catalog-model';
import { buildAliasMap } from './buildAliasMap';
import { buildGraphIndex } from './buildGraphIndex';
import { readGraphNode, readTier } from './readGraphNode';
import { GraphNode } from './types';

const svc = (
  namespace: string | undefined,
  spec: Record<string, unknown>,
  labels: Record<string, string> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'svc', ...(namespace ? { namespace } : {}), labels },
  spec: { type: 'service', lifecycle: 'production', ...spec },
});

describe('owner and System refs default to the entity’s own namespace (Backstage semantics)', () => {
  it.each<
    [string, string | undefined, Record<string, unknown>, string, string]
  >([
    [
      'bare names',
      'ns1',
      { owner: 'team', system: 'shop' },
      'group:ns1/team',
      'system:ns1/shop',
    ],
    [
      'kind without namespace',
      'ns1',
      { owner: 'user:ana', system: 'system:shop' },
      'user:ns1/ana',
      'system:ns1/shop',
    ],
    [
      'an explicit namespace wins',
      'ns1',
      { owner: 'group:other/team', system: 'system:default/shop' },
      'group:other/team',
      'system:default/shop',
    ],
    [
      'no namespace on the entity reads as default',
      undefined,
      { owner: 'team', system: 'shop' },
      'group:default/team',
      'system:default/shop',
    ],
  ])('%s', (_name, namespace, spec, owner, system) => {
    expect(readGraphNode(svc(namespace, spec))).toMatchObject({
      ref: `component:${namespace ?? 'default'}/svc`,
      owner,
      system,
    });
  });
});

describe('§2.3 tier labels: only 1, 2 and 3 are tiers', () => {
  it.each([
    ['1', 1],
    [' 2 ', 2],
    ['3', 3],
    ['4', null],
    ['constructor', null],
    ['toString', null],
    ['__proto__', null],
    ['hasOwnProperty', null],
    ['valueOf', null],
  ])('%j → %p', (label, tier) => {
    const entity = svc(
      'default',
      { owner: 'team' },
      {
        'ops.example.com/tier': label,
      },
    );
    expect(readTier(entity)).toBe(tier);
    expect(readGraphNode(entity).tier).toBe(tier);
  });
});

describe('R26, §2.3: a label or annotation that is not a string reads as absent', () => {
  /** A Resource (lifecycle from its annotation) with the given, deliberately mistyped, metadata. */
  const resource = (metadata: Record<string, unknown>) =>
    ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'db', namespace: 'default', ...metadata },
      spec: { type: 'database', owner: 'team' },
    } as unknown as Entity);
  const P = 'ops.example.com/';

  it.each<[string, Record<string, unknown>, Partial<GraphNode>]>([
    ['a number as the tier', { labels: { [`${P}tier`]: 1 } }, { tier: null }],
    ['a list as the tier', { labels: { [`${P}tier`]: ['1'] } }, { tier: null }],
    [
      'a boolean as customer-facing',
      { labels: { [`${P}customer-facing`]: true } },
      { customerFacing: null },
    ],
    [
      'labels that are not an object',
      { labels: 'tier=1' },
      { tier: null, customerFacing: null },
    ],
    [
      'a number as the lifecycle annotation',
      { annotations: { [`${P}lifecycle`]: 5 } },
      { lifecycle: null },
    ],
    [
      'a list as the regions',
      { annotations: { [`${P}regions`]: ['eu-west-1'] } },
      { regions: [] },
    ],
    [
      'a number as the entry points',
      { annotations: { [`${P}entry-points`]: 42 } },
      { entryPoints: [] },
    ],
    [
      'an object as the data domains',
      { annotations: { [`${P}data-domains`]: { pii: true } } },
      { dataDomains: [] },
    ],
    [
      'a number as the aliases',
      { annotations: { [`${P}aliases`]: 42 } },
      { aliases: [] },
    ],
    [
      'annotations that are null',
      { annotations: null },
      { lifecycle: null, regions: [], aliases: [] },
    ],
    ['a number as the title: the name', { title: 42 }, { title: 'db' }],
    ['an empty title: the name', { title: '' }, { title: 'db' }],
    [
      'a title of spaces and invisible characters: the name',
      { title: ' \u200B\u202E\n' },
      { title: 'db' },
    ],
    ['a right-to-left title stays', { title: 'שלום' }, { title: 'שלום' }],
  ])('%s', (_name, metadata, expected) => {
    const entity = resource(metadata);
    expect(readGraphNode(entity)).toMatchObject(expected);
    expect(readTier(entity)).toBe(readGraphNode(entity).tier);
  });

  it('a graph index builds over such entities; the mistyped alias claims nothing', () => {
    const index = buildGraphIndex({
      entities: [
        resource({
          title: 42,
          labels: { [`${P}tier`]: 1 },
          annotations: { [`${P}aliases`]: 42, [`${P}regions`]: ['x'] },
        }),
      ],
      observedEdges: [],
      asOf: {
        catalog: '2026-03-14T02:00:00Z',
        observedEdges: '2026-03-14T02:00:00Z',
      },
    });
    const id = index.idOf('resource:default/db');
    expect(index.titleOf(id)).toBe('db');
    expect(index.node(id, 0)).toMatchObject({ tier: null, regions: [] });
    const aliases = buildAliasMap([
      resource({ annotations: { [`${P}aliases`]: 42 } }),
    ]);
    expect(aliases.resolve('db')).toBe('resource:default/db');
    expect(aliases.explicitlyAliased.size).toBe(0);
  });
});
