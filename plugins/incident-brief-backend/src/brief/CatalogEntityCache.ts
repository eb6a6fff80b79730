import { AuthService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { normalizeRef } from '@internal/plugin-incident-brief-common';

/**
 * Short-lived cache of the catalog entities a brief reads besides the graph (the entity itself,
 * owner groups and their parents, users, systems, domains). The index keeps no entity JSON
 * (IB §3.4 memory target), so these come from the catalog per request, cached for `ttlMs`.
 */
export class CatalogEntityCache {
  private readonly entries = new Map<
    string,
    { entity: Entity | null; expiresAt: number }
  >();

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      ttlMs: number;
      now?: () => number;
    },
  ) {}

  /** The cached entity (`null`: known not to exist), or `undefined` when not loaded or expired. */
  peek(ref: string): Entity | null | undefined {
    const entry = this.entries.get(ref);
    if (!entry || entry.expiresAt <= this.now()) return undefined;
    return entry.entity;
  }

  /** Loads refs in batches of 100; rejects when the catalog cannot be read. */
  async load(refs: Iterable<string>): Promise<void> {
    const wanted = [...new Set(refs)];
    if (wanted.length === 0) return;
    const credentials = await this.options.auth.getOwnServiceCredentials();
    for (let i = 0; i < wanted.length; i += 100) {
      const chunk = wanted.slice(i, i + 100);
      const { items } = await this.options.catalog.getEntitiesByRefs(
        { entityRefs: chunk },
        { credentials },
      );
      const expiresAt = this.now() + this.options.ttlMs;
      chunk.forEach((ref, j) =>
        this.entries.set(ref, { entity: items[j] ?? null, expiresAt }),
      );
    }
  }

  /** A synchronous lookup over the cache that records what it could not answer. */
  recordingLookup(misses: Set<string>): (ref: string) => Entity | undefined {
    return raw => {
      let ref: string;
      try {
        ref = normalizeRef(raw);
      } catch {
        return undefined;
      }
      const hit = this.peek(ref);
      if (hit === undefined) misses.add(ref);
      return hit ?? undefined;
    };
  }

  private now() {
    return this.options.now?.() ?? Date.now();
  }
}
