import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { indexCatalog } from '@internal/plugin-scorecards-common';
import { awaitKeyOf, awaitedRefs, namedRefs } from './awaitedRefs';

const entity = (spec: JsonObject, namespace?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'svc', ...(namespace ? { namespace } : {}) },
  spec,
});
const held = (kind: string, name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default' },
  spec: {},
});
const catalog = indexCatalog({
  entities: [held('Group', 'team-a'), held('System', 'checkout')],
  refreshedAt: '2026-03-14T02:00:00Z',
});

describe('namedRefs', () => {
  it.each([
    {
      name: 'each reference field with its default kind, normalized',
      spec: {
        owner: 'team-a',
        system: 'Checkout',
        domain: 'commerce',
        subcomponentOf: 'parent-svc',
        dependsOn: ['resource:orders-db', 'ledger'],
        providesApis: ['orders-api'],
        consumesApis: ['api:payments/charge'],
      },
      refs: [
        'group:default/team-a',
        'system:default/checkout',
        'domain:default/commerce',
        'component:default/parent-svc',
        'resource:default/orders-db',
        'component:default/ledger',
        'api:default/orders-api',
        'api:payments/charge',
      ],
    },
    {
      name: 'the entity namespace as the default namespace',
      spec: { system: 'checkout' },
      namespace: 'shop',
      refs: ['system:shop/checkout'],
    },
    {
      name: 'malformed and non-string values left out',
      spec: { owner: '', system: 42, dependsOn: ['a/b/c', null] },
      refs: [],
    },
    {
      name: 'refs no entity could have left out: their refresh key would not fit the catalog (255)',
      spec: {
        owner: `team-${'a'.repeat(240)}`,
        system: 'checkout system',
        dependsOn: [`resource:${'n'.repeat(64)}/db`, 'resource:orders-db'],
      },
      refs: ['resource:default/orders-db'],
    },
    {
      name: 'other fields not read',
      spec: { type: 'service', lifecycle: 'production' },
      refs: [],
    },
  ])('$name', ({ spec, namespace, refs }) => {
    expect([...namedRefs(entity(spec, namespace))]).toEqual(refs);
  });
});

describe('awaitedRefs', () => {
  const spec = {
    owner: 'team-a',
    system: 'checkout',
    providesApis: ['orders-api'],
    dependsOn: ['resource:orders-db'],
  };

  it.each([
    {
      name: 'what the snapshot does not hold, sorted',
      before: [],
      awaited: ['api:default/orders-api', 'resource:default/orders-db'],
    },
    {
      name: 'what it waited for before and still names, though it arrived',
      before: ['system:default/checkout'],
      awaited: [
        'api:default/orders-api',
        'resource:default/orders-db',
        'system:default/checkout',
      ],
    },
    {
      name: 'not what it no longer names',
      before: ['system:default/payments', 'api:default/orders-api'],
      awaited: ['api:default/orders-api', 'resource:default/orders-db'],
    },
  ])('$name', ({ before, awaited }) => {
    expect(awaitedRefs(entity(spec), catalog, before)).toEqual(awaited);
  });

  it('has one refresh key per ref', () => {
    expect(awaitKeyOf('system:default/checkout')).toBe(
      'scorecards:awaits:system:default/checkout',
    );
  });
});
