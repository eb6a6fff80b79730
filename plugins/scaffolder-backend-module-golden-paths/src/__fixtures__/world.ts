import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

// The §10 world for action tests: the demo catalog entities the vectors touch (same shape as
// golden-paths-common's fixture, which is not exported), the S0 request and a fake catalog that
// counts its calls.

export const T = '2026-11-23T10:00:00Z';
const P = 'ops.example.com/';

const group = (
  name: string,
  opts: { oncall?: string; parent?: string; members?: string[] },
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: {
    name,
    namespace: 'default',
    annotations: opts.oncall ? { [`${P}oncall`]: opts.oncall } : {},
  },
  spec: {
    type: opts.parent ? 'team' : 'business-unit',
    ...(opts.parent ? { parent: opts.parent } : {}),
    children: [],
    members: opts.members ?? [],
  },
});

const user = (name: string, memberOf: string[]): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf },
});

const system = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name, namespace: 'default', labels: { [`${P}tier`]: '1' } },
  spec: { owner },
});

const component = (name: string, owner: string, sys: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', labels: { [`${P}tier`]: '1' } },
  spec: { type: 'service', lifecycle: 'production', owner, system: sys },
});

export const demoCatalog: Entity[] = [
  group('commerce-eng', { oncall: 'static:commerce-escalation' }),
  group('checkout-team', {
    oncall: 'static:checkout-primary',
    parent: 'group:default/commerce-eng',
    members: ['user:default/ana.ruiz', 'user:default/ben.okafor'],
  }),
  group('platform-team', {
    oncall: 'static:platform-primary',
    parent: 'group:default/commerce-eng',
    members: ['user:default/fatima.haddad'],
  }),
  group('storefront-team', { parent: 'group:default/commerce-eng' }),
  user('ana.ruiz', ['group:default/checkout-team']),
  user('ben.okafor', ['group:default/checkout-team']),
  user('fatima.haddad', ['group:default/platform-team']),
  system('storefront', 'group:default/storefront-team'),
  system('checkout', 'group:default/checkout-team'),
  component(
    'checkout-service',
    'group:default/checkout-team',
    'system:default/checkout',
  ),
];

/** Base service request S0 (§10). */
export const S0 = {
  name: 'cart-api',
  description: 'Keeps shopping carts for signed-in and guest shoppers.',
  owner: 'group:default/checkout-team',
  system: 'system:default/checkout',
  tier: '2',
  customerFacing: true,
  exposure: 'internal',
  dataClassification: 'low',
  runbook: 'generate-stub',
  sloAvailability: '99.5',
  sloLatencyP95Ms: 300,
  region: 'eu-west-1',
  waitMinutes: 0,
};

const refOf = (e: Entity) =>
  `${e.kind}:${e.metadata.namespace ?? 'default'}/${
    e.metadata.name
  }`.toLocaleLowerCase('en-US');

/** A fake CatalogService over a list of entities; only the three calls validate makes. */
export function fakeCatalog(
  entities: Entity[],
  opts: { failRefs?: boolean } = {},
) {
  const byRef = new Map(entities.map(e => [refOf(e), e]));
  return catalogServiceMock.mock({
    getEntityByRef: jest.fn(async (entityRef: unknown) =>
      typeof entityRef === 'string'
        ? byRef.get(entityRef.toLocaleLowerCase('en-US'))
        : undefined,
    ),
    getEntitiesByRefs: jest.fn(async ({ entityRefs }) => {
      if (opts.failRefs) throw new Error('catalog unavailable');
      return {
        items: entityRefs.map(
          (r: string) => byRef.get(r.toLocaleLowerCase('en-US')) ?? undefined,
        ),
      };
    }),
    getEntities: jest.fn(async request => {
      const kind = (request?.filter as { kind?: string | string[] } | undefined)
        ?.kind;
      const kinds = (Array.isArray(kind) ? kind : [kind ?? '']).map(k =>
        k.toLocaleLowerCase('en-US'),
      );
      return {
        items: entities.filter(
          e => !kind || kinds.includes(e.kind.toLocaleLowerCase('en-US')),
        ),
      };
    }),
  });
}
