import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createHash } from 'node:crypto';

/** What a test sees of the reads a refresh made. */
export interface CatalogCalls {
  /** The `fields` of each `streamEntities` call. */
  streams: (string[] | undefined)[];
  /** The refs of each `getEntitiesByRefs` call. */
  byRefs: string[][];
}

/**
 * A catalog service for snapshot refreshes whose entities a test replaces between them
 * (`state.entities = [...]`): each read answers from the entities held at that moment.
 *
 * As the real catalog does when it stitches an entity, each entity's `metadata.etag` is a hash
 * of the rest of it, whatever the fixture says; `etags: 'as-given'` keeps the fixture's (or
 * none), for catalogs that do not keep etags in step with content.
 */
export function mutableCatalog(
  entities: Entity[],
  options: { etags?: 'content' | 'as-given' } = {},
): {
  service: CatalogService;
  state: { entities: Entity[] };
  calls: CatalogCalls;
} {
  const state = { entities };
  const calls: CatalogCalls = { streams: [], byRefs: [] };
  const current = () =>
    catalogServiceMock({
      entities:
        options.etags === 'as-given'
          ? state.entities
          : state.entities.map(withContentEtag),
    });
  const service = {
    ...catalogServiceMock(),
    streamEntities: (...args: Parameters<CatalogService['streamEntities']>) => {
      calls.streams.push(args[0]?.fields as string[] | undefined);
      return current().streamEntities(...args);
    },
    getEntitiesByRefs: (
      ...args: Parameters<CatalogService['getEntitiesByRefs']>
    ) => {
      calls.byRefs.push([...args[0].entityRefs]);
      return current().getEntitiesByRefs(...args);
    },
  } as CatalogService;
  return { service, state, calls };
}

function withContentEtag(entity: Entity): Entity {
  const { etag: _etag, ...metadata } = entity.metadata;
  const etag = createHash('sha1')
    .update(JSON.stringify({ ...entity, metadata }))
    .digest('hex');
  return { ...entity, metadata: { ...metadata, etag } };
}
