import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

/**
 * A catalog service for snapshot refreshes whose entities a test replaces between them
 * (`state.entities = [...]`): each stream reads the entities held at that moment.
 */
export function mutableCatalog(entities: Entity[]): {
  service: CatalogService;
  state: { entities: Entity[] };
} {
  const state = { entities };
  const service = {
    ...catalogServiceMock(),
    streamEntities: (...args: Parameters<CatalogService['streamEntities']>) =>
      catalogServiceMock({ entities: state.entities }).streamEntities(...args),
  } as CatalogService;
  return { service, state };
}
