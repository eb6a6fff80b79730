import { AuthService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createHash } from 'node:crypto';
import {
  CatalogIndex,
  entityRefOf,
  hashEntity,
  indexCatalog,
} from '@internal/plugin-scorecards-common';

/**
 * The catalog around the entities being scored (groups, members, parents, systems, domains,
 * APIs, dependents), read in full with the module's own service credentials and indexed once
 * per refresh (§7.5). Until the first refresh succeeds `current()` is undefined; a failed
 * refresh keeps the previous index, whose age the engine judges (older than 10 min → unknown).
 */
export class CatalogSnapshotCache {
  private index: CatalogIndex | undefined;
  private contentVersion = 'none';

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

  /**
   * A hash of what the snapshot says about every entity (our own stamps and catalog
   * bookkeeping excluded): unchanged between refreshes of an unchanged catalog, so unchanged
   * evaluations can be reused across refreshes.
   */
  version(): string {
    return this.contentVersion;
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
    this.contentVersion = contentVersionOf(entities);
    return entities.length;
  }
}

function contentVersionOf(entities: Entity[]): string {
  const lines = entities.map(e => `${entityRefOf(e)} ${hashEntity(e)}`);
  lines.sort();
  return createHash('sha1').update(lines.join('\n')).digest('base64');
}
