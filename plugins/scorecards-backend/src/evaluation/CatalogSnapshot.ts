import { AuthService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CatalogIndex,
  entityRefOf,
  indexCatalog,
} from '@internal/plugin-scorecards-common';

/** An indexed catalog snapshot plus the list of its entities. */
export interface LoadedSnapshot {
  index: CatalogIndex;
  entities: Entity[];
  byRef: Map<string, Entity>;
}

/**
 * Whether a stored latest row belongs to an entity of the catalog as `snapshot` saw it: the
 * snapshot holds it, or the row changed after the snapshot was taken (an entity newer than the
 * snapshot). A row the snapshot lacks though it was taken after the row's last change is a
 * deleted entity's, whose results leave latest at once (§2.10); the scheduled pass deletes the
 * row itself within its interval.
 */
export function inCatalog(
  snapshot: LoadedSnapshot,
  row: { entityRef: string; changedAt: string },
): boolean {
  return (
    snapshot.byRef.has(row.entityRef) ||
    Date.parse(row.changedAt) >= snapshot.index.refreshedAtMs
  );
}

/**
 * The whole catalog read with the plugin's own service credentials and indexed once per refresh
 * (scorecards §7.5). A failed refresh keeps the previous snapshot; the engine judges its age.
 */
export class CatalogSnapshot {
  private loaded: LoadedSnapshot | undefined;
  private refreshing: Promise<LoadedSnapshot> | undefined;

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      clock: () => Date;
    },
  ) {}

  current(): LoadedSnapshot | undefined {
    return this.loaded;
  }

  async refresh(): Promise<LoadedSnapshot> {
    const refreshedAt = this.options.clock().toISOString();
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
    this.loaded = {
      index: indexCatalog({ entities, refreshedAt }),
      entities,
      byRef: new Map(entities.map(e => [entityRefOf(e), e])),
    };
    return this.loaded;
  }

  /** The current snapshot, loading it first if it never was. */
  async get(): Promise<LoadedSnapshot> {
    return this.loaded ?? (await this.refresh());
  }

  /**
   * The current snapshot when it is at most `maxAgeSeconds` old, else a refreshed one (one
   * refresh at a time, shared by concurrent callers). A failed refresh falls back to the
   * previous snapshot, whose age the engine then judges (stale → SOURCE_UNAVAILABLE, SR23);
   * without any snapshot the error propagates.
   */
  async getFresh(maxAgeSeconds: number): Promise<LoadedSnapshot> {
    const loaded = this.loaded;
    if (
      loaded &&
      this.options.clock().getTime() - loaded.index.refreshedAtMs <=
        maxAgeSeconds * 1000
    ) {
      return loaded;
    }
    if (!this.refreshing) {
      this.refreshing = this.refresh().finally(() => {
        this.refreshing = undefined;
      });
    }
    try {
      return await this.refreshing;
    } catch (e) {
      if (loaded) return loaded;
      throw e;
    }
  }
}
