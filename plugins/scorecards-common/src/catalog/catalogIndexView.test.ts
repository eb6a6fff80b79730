import { Entity } from '@backstage/catalog-model';
import { CatalogIndex, catalogMemo, indexCatalog } from './catalogIndex';
import { catalogIndexView } from './catalogIndexView';

const group = (name: string, spec: Record<string, unknown> = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name },
  spec: { type: 'team', children: [], ...spec },
});

const component = (name: string, spec: Record<string, unknown>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name },
  spec: { type: 'service', owner: 'group:default/payments', ...spec },
});

const index = indexCatalog({
  entities: [
    group('platform'),
    group('payments', { parent: 'platform', members: ['user:default/ana'] }),
    component('web', { dependsOn: ['component:default/ledger'] }),
    component('checkout', { providesApis: ['api:default/pay'] }),
    component('mobile', { consumesApis: ['api:default/fx'] }),
  ],
  refreshedAt: '2026-12-01T00:00:00.000Z',
});

/** Every lookup of the index with one argument each, as an evaluation would call them. */
function answers(catalog: CatalogIndex) {
  return {
    refreshedAt: catalog.refreshedAt,
    refreshedAtMs: catalog.refreshedAtMs,
    get: catalog.get('group:default/payments')?.metadata.name,
    dependentsOf: catalog.dependentsOf('component:default/ledger'),
    consumersOfApi: catalog.consumersOfApi('api:default/fx'),
    providersOfApi: catalog.providersOfApi('api:default/pay'),
    membersOf: catalog.membersOf('group:default/payments'),
    childGroupsOf: catalog.childGroupsOf('group:default/platform'),
    parentOf: catalog.parentOf('group:default/payments'),
  };
}

describe('catalogIndexView', () => {
  it('answers as the index does where the view changes nothing, and carries no memo', () => {
    expect(catalogMemo(index)).toBeDefined();
    const view = catalogIndexView(index, {});
    expect(answers(view)).toEqual(answers(index));
    // Each list lookup answers something here, so a lookup wired to the wrong one would show.
    expect(Object.values(answers(index)).every(v => v !== undefined)).toBe(
      true,
    );
    expect(new Set(Object.values(answers(index)).map(String)).size).toBe(9);
    expect(catalogMemo(view)).toBeUndefined();
  });

  it('passes every list lookup through `list`, and takes `get` and `parentOf` as given', () => {
    const wrapped: string[] = [];
    const view = catalogIndexView(index, {
      get: () => undefined,
      list: lookup => ref => {
        wrapped.push(ref);
        return lookup(ref).map(r => `seen:${r}`);
      },
      parentOf: () => null,
    });
    const seen = answers(view);
    expect(seen.get).toBeUndefined();
    expect(seen.parentOf).toBeNull();
    expect(seen.dependentsOf).toEqual(['seen:component:default/web']);
    expect(seen.membersOf).toEqual(['seen:user:default/ana']);
    expect(wrapped).toEqual([
      'component:default/ledger',
      'api:default/fx',
      'api:default/pay',
      'group:default/payments',
      'group:default/platform',
    ]);
  });
});
