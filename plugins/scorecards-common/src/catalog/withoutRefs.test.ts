import { Entity } from '@backstage/catalog-model';
import { indexCatalog } from './catalogIndex';
import { withoutRefs } from './withoutRefs';

const entity = (kind: string, name: string, spec: object): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default' },
  spec,
});

const index = indexCatalog({
  refreshedAt: '2026-03-14T00:00:00.000Z',
  entities: [
    entity('Group', 'org', { type: 'org', children: [] }),
    entity('Group', 'secret-team', {
      type: 'team',
      parent: 'org',
      children: ['sub-team'],
      members: ['ana'],
    }),
    entity('Group', 'sub-team', {
      type: 'team',
      parent: 'secret-team',
      children: [],
    }),
    entity('Group', 'open-team', { type: 'team', parent: 'org', children: [] }),
    entity('User', 'ana', { memberOf: ['secret-team'] }),
    entity('Component', 'hidden-svc', {
      type: 'service',
      owner: 'secret-team',
      dependsOn: ['component:db'],
      providesApis: ['pay-api'],
    }),
    entity('Component', 'open-svc', {
      type: 'service',
      owner: 'open-team',
      dependsOn: ['component:db'],
      consumesApis: ['pay-api'],
    }),
    entity('Component', 'db', { type: 'database', owner: 'open-team' }),
    entity('API', 'pay-api', { type: 'openapi', owner: 'open-team' }),
  ],
});

describe('withoutRefs', () => {
  const view = withoutRefs(
    index,
    new Set(['group:default/secret-team', 'component:default/hidden-svc']),
  );

  it('answers for hidden entities as for entities that do not exist', () => {
    expect(view.get('group:default/secret-team')).toBeUndefined();
    expect(view.membersOf('group:default/secret-team')).toEqual([]);
    expect(view.childGroupsOf('group:default/secret-team')).toEqual([]);
    expect(view.parentOf('group:default/secret-team')).toBeNull();
    expect(view.get('group:default/no-such-team')).toBeUndefined();
    expect(view.membersOf('group:default/no-such-team')).toEqual([]);
  });

  it('leaves hidden entities out of the lists of the others', () => {
    // The full index names them.
    expect(index.childGroupsOf('group:default/org')).toContain(
      'group:default/secret-team',
    );
    expect(index.dependentsOf('component:default/db')).toContain(
      'component:default/hidden-svc',
    );
    expect(index.providersOfApi('api:default/pay-api')).toEqual([
      'component:default/hidden-svc',
    ]);
    expect(index.parentOf('group:default/sub-team')).toBe(
      'group:default/secret-team',
    );
    // The view does not.
    expect(view.childGroupsOf('group:default/org')).toEqual([
      'group:default/open-team',
    ]);
    expect(view.dependentsOf('component:default/db')).toEqual([
      'component:default/open-svc',
    ]);
    expect(view.providersOfApi('api:default/pay-api')).toEqual([]);
    expect(view.consumersOfApi('api:default/pay-api')).toEqual([
      'component:default/open-svc',
    ]);
    expect(view.parentOf('group:default/sub-team')).toBeNull();
    // Everything else is the index's.
    expect(view.get('component:default/open-svc')).toBe(
      index.get('component:default/open-svc'),
    );
    expect(view.refreshedAtMs).toBe(index.refreshedAtMs);
  });

  it('is the index itself when nothing is hidden', () => {
    expect(withoutRefs(index, new Set())).toBe(index);
  });
});
