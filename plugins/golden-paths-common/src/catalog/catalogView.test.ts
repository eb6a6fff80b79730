import type { Entity } from '@backstage/catalog-model';
import { eligibleApprovers } from '../approvals/approvers';
import { declaredDependents, owningEntityOf } from '../lifecycle/dependents';
import { CatalogView, specRefs } from './catalogView';
import { normalizeEntityRef } from './refs';

/**
 * A ref written in a spec without a namespace is in the entity's own namespace, as the catalog
 * reads it. Until 2026-12-07 every such ref was read in `default`: a same-named user there could
 * approve for `group:platform/dba`, a component's owner in its namespace did not exist, and a
 * resource's dependent in `payments` gained a twin in `default` that blocked archive for ever.
 */
const entity = (
  kind: string,
  namespace: string,
  name: string,
  spec: NonNullable<Entity['spec']> = {},
  extra: Partial<Entity> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace },
  spec,
  ...extra,
});

describe('refs written in a spec, in the entity namespace', () => {
  it('normalizes a short ref in the namespace it is given, and in default without one', () => {
    expect(normalizeEntityRef('alice', 'user', 'platform')).toBe(
      'user:platform/alice',
    );
    expect(normalizeEntityRef('user:default/alice', 'user', 'platform')).toBe(
      'user:default/alice',
    );
    expect(normalizeEntityRef('alice', 'user')).toBe('user:default/alice');
  });

  it("reads a group's members and a component's owner in their own namespace", () => {
    const dba = entity('Group', 'platform', 'dba', {
      type: 'team',
      members: ['alice'],
      parent: 'infra',
    });
    const orders = entity('Component', 'payments', 'orders', {
      owner: 'orders-team',
      system: 'checkout',
    });
    expect(specRefs(dba, 'members')).toEqual(['user:platform/alice']);
    expect(specRefs(dba, 'parent')).toEqual(['group:platform/infra']);
    expect(specRefs(orders, 'system')).toEqual(['system:payments/checkout']);

    const view = new CatalogView([
      dba,
      orders,
      entity('User', 'platform', 'alice'),
      // a different person with the same name in default
      entity('User', 'default', 'alice'),
      entity('User', 'platform', 'bob', { memberOf: ['dba'] }),
    ]);
    expect(view.members('group:platform/dba')).toEqual([
      'user:platform/alice',
      'user:platform/bob',
    ]);
    expect(view.ownerOf(orders)).toBe('group:payments/orders-team');
    expect(
      eligibleApprovers(view, 'group:platform/dba', 'user:platform/alice'),
    ).toEqual({ approvers: ['user:platform/bob'] });
  });

  it("finds a resource's dependent once, in its namespace, whether read from the spec or the relation", () => {
    const ordersDb = entity(
      'Resource',
      'payments',
      'orders-db',
      { type: 'database', dependencyOf: ['component:orders'] },
      {
        metadata: {
          name: 'orders-db',
          namespace: 'payments',
          annotations: { 'ops.example.com/request-key': 'k' },
        },
        relations: [
          { type: 'dependencyOf', targetRef: 'component:payments/orders' },
        ],
      },
    );
    const orders = entity('Component', 'payments', 'orders', {
      lifecycle: 'archived',
    });
    expect(
      declaredDependents(ordersDb, [ordersDb, orders]).map(d => d.ref),
    ).toEqual(['component:payments/orders']);
    expect(owningEntityOf(ordersDb)).toBe('component:payments/orders');
  });
});
