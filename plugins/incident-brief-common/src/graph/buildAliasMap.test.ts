import type { Entity } from '@backstage/catalog-model';
import { buildAliasMap } from './buildAliasMap';

const component = (
  name: string,
  annotations: Record<string, string> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: {
    type: 'service',
    owner: 'group:default/team',
    lifecycle: 'production',
  },
});

describe('buildAliasMap', () => {
  it('maps the names the evidence store maps: Kubernetes ids and Argo CD applications claim like aliases', () => {
    const map = buildAliasMap([
      component('checkout-service', {
        'backstage.io/kubernetes-id': 'checkout',
      }),
      component('cart-api', { 'argocd/app-name': 'Cart-Prod' }),
      component('orders', {
        'ops.example.com/aliases': 'orders-svc',
        'backstage.io/kubernetes-id': 'orders-svc',
      }),
    ]);
    expect(map.resolve('checkout')).toBe('component:default/checkout-service');
    expect(map.resolve('cart-prod')).toBe('component:default/cart-api');
    // one entity claiming a name twice is not a conflict
    expect(map.resolve('orders-svc')).toBe('component:default/orders');
    expect(map.conflicts).toEqual([]);
  });

  it('voids a name two entities claim, whichever annotation each used (R14)', () => {
    const map = buildAliasMap([
      component('a', { 'backstage.io/kubernetes-id': 'shared' }),
      component('b', { 'ops.example.com/aliases': 'shared' }),
    ]);
    expect(map.resolve('shared')).toBeNull();
    expect(map.conflicts).toEqual([
      {
        alias: 'shared',
        refs: ['component:default/a', 'component:default/b'],
      },
    ]);
  });

  it('lets an explicit claim win over an implicit name', () => {
    const map = buildAliasMap([
      component('checkout'),
      component('checkout-service', {
        'backstage.io/kubernetes-id': 'checkout',
      }),
    ]);
    expect(map.resolve('checkout')).toBe('component:default/checkout-service');
  });
});
