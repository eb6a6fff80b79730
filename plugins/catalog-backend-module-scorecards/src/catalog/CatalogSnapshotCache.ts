import { AuthService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { CatalogIndex, indexCatalog } from '@internal/plugin-scorecards-common';

/**
 * The catalog around the entities being scored (groups, members, parents, systems, domains,
 * APIs, dependents), read in full with the module's own service credentials and indexed once
 * per refresh (§7.5). Until the first refresh succeeds `current()` is undefined; a failed
 * refresh keeps the previous index, whose age the engine judges (older than 10 min → unknown).
 */
export class CatalogSnapshotCache {
  private index: CatalogIndex | undefined;

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      clock?: () => Date;
    },
  ) {}

  /** The latest indexed snapshot, if one was ever loaded. */
  current(): CatalogIndex | undefined {
    return this.index;
  }

  /** Reads the whole catalog and replaces the index; rejects when the catalog cannot be read. */
  async refresh(): Promise<number> {
    const refreshedAt = (this.options.clock?.() ?? new Date()).toISOString();
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const entities: Entity[] = [];
    for await (const page of this.options.catalog.streamEntities(
      { pageSize: 500 },
      { credentials },
    )) {
      for (const entity of page) {
        // The engine reads spec and metadata only; relations are the bulk of an entity.
        const { relations: _relations, ...rest } = entity;
        entities.push(rest);
      }
    }
    this.index = indexCatalog({ entities, refreshedAt });
    return entities.length;
  }
}
