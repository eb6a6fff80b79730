import { AuthService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { tryNormalizeRef } from '@internal/plugin-incident-brief-common';

// Refs per `getEntitiesByRefs` call: one request for a brief's or a team's usual needs.
const BATCH = 100;
// A catalog read that has not answered by then is failed: readiness becomes unknown and the
// catalog's processing moves on, instead of waiting for fetch's own limits (minutes).
const DEFAULT_TIMEOUT_MS = 5000;

/**
 * Short-lived cache of the catalog entities the incident brief reads besides its graph (the
 * entity itself, owner groups and their parents, users, systems, domains): the backend's graph
 * index keeps no entity JSON (IB §3.4 memory target), and the catalog module's readiness checks
 * look at the same entities for every service of a team. Misses are loaded in batched
 * `getEntitiesByRefs` calls, so a processing pass over many entities owned by the same team
 * costs one lookup per team per TTL.
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
      /** Deadline of one `getEntitiesByRefs` call; default 5 s. */
      timeoutMs?: number;
    },
  ) {}

  /** The cached entity (`null`: known not to exist), or `undefined` when not loaded or expired. */
  peek(ref: string): Entity | null | undefined {
    const entry = this.entries.get(ref);
    if (!entry || entry.expiresAt <= this.now()) return undefined;
    return entry.entity;
  }

  /**
   * Loads refs into the cache in batches of 100; rejects when the catalog cannot be read or a
   * batch takes longer than `timeoutMs`.
   */
  async load(refs: Iterable<string>): Promise<void> {
    const wanted = [...new Set(refs)];
    if (wanted.length === 0) return;
    const credentials = await this.options.auth.getOwnServiceCredentials();
    for (let i = 0; i < wanted.length; i += BATCH) {
      const chunk = wanted.slice(i, i + BATCH);
      const { items } = await withDeadline(
        this.options.catalog.getEntitiesByRefs(
          { entityRefs: chunk },
          { credentials },
        ),
        this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      );
      const expiresAt = this.now() + this.options.ttlMs;
      chunk.forEach((ref, j) => {
        this.entries.set(ref, { entity: items[j] ?? null, expiresAt });
      });
    }
  }

  /**
   * A synchronous lookup over the cache (any ref form `normalizeRef` accepts; an unparsable one
   * is not found) that adds what it could not answer to `misses`.
   */
  recordingLookup(misses: Set<string>): (ref: string) => Entity | undefined {
    return raw => {
      const ref = tryNormalizeRef(raw);
      if (!ref) return undefined;
      const hit = this.peek(ref);
      if (hit === undefined) misses.add(ref);
      return hit ?? undefined;
    };
  }

  private now() {
    return this.options.now?.() ?? Date.now();
  }
}

/** `promise`, or a rejection once `ms` have passed without an answer. */
async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the catalog did not answer within ${ms} ms`)),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs a synchronous computation that reads entities through a lookup, loading whatever it asked
 * for and did not find, until it asks for nothing new (at most `maxRounds` rounds). Keeps the
 * pure resolution rules of incident-brief-common synchronous while the data comes from the
 * catalog.
 */
export async function withLoadedEntities<T>(
  cache: CatalogEntityCache,
  compute: (lookup: (ref: string) => Entity | undefined) => T,
  maxRounds = 8,
): Promise<T> {
  for (let round = 0; ; round++) {
    const misses = new Set<string>();
    const result = compute(cache.recordingLookup(misses));
    if (misses.size === 0 || round + 1 >= maxRounds) return result;
    await cache.load(misses);
  }
}
