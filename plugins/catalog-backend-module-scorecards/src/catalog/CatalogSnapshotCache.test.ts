import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogSnapshotCache } from './CatalogSnapshotCache';

function component(
  over: Partial<Entity['metadata']> = {},
  owner = 'team-a',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'svc',
      namespace: 'default',
      uid: 'u1',
      etag: 'e1',
      ...over,
    },
    spec: { type: 'service', lifecycle: 'production', owner },
  };
}

async function versionOf(entities: Entity[]) {
  const cache = new CatalogSnapshotCache({
    catalog: catalogServiceMock({ entities }),
    auth: mockServices.auth(),
  });
  expect(cache.version()).toBe('none');
  await cache.refresh();
  return { version: cache.version(), index: cache.current()! };
}

describe('CatalogSnapshotCache', () => {
  it('indexes the catalog and versions its content', async () => {
    const { version, index } = await versionOf([component()]);
    expect(index.get('component:default/svc')?.spec?.owner).toBe('team-a');
    expect(version).not.toBe('none');
  });

  it('keeps its version when only our stamps, the etag or the order change', async () => {
    const other = component({ name: 'other', uid: 'u2' });
    const base = await versionOf([component(), other]);
    const restamped = await versionOf([
      other,
      component({
        etag: 'e2',
        labels: { 'ops.example.com/maturity-level': 'L2' },
        annotations: {
          'ops.example.com/scorecard-score': '3/3',
          'ops.example.com/scorecard-standard': 'default@7',
        },
      }),
    ]);
    expect(restamped.version).toBe(base.version);
  });

  it('changes its version when what an evaluation reads changes', async () => {
    const base = await versionOf([component()]);
    expect((await versionOf([component({}, 'team-b')])).version).not.toBe(
      base.version,
    );
    expect(
      (
        await versionOf([
          component({ labels: { 'ops.example.com/tier': '1' } }),
        ])
      ).version,
    ).not.toBe(base.version);
    expect(
      (await versionOf([component(), component({ name: 'new', uid: 'u3' })]))
        .version,
    ).not.toBe(base.version);
  });
});
