import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
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
 * `getEntitiesByRefs` calls, and a ref already being loaded is waited for rather than asked
 * again, so a processing pass over many entities owned by the same team — concurrent or not —
 * costs one lookup per team per TTL. Expired entries are dropped (when looked at, and by a sweep
 * in `load` at most once per TTL), so the cache does not grow with every ref ever loaded.
 */
export class CatalogEntityCache {
  private readonly entries = new Map<
    string,
    { entity: Entity | null; expiresAt: number }
  >();
  // Refs whose `getEntitiesByRefs` batch has not answered yet: a load that wants one of them
  // waits for that batch instead of asking the catalog again.
  private readonly inFlight = new Map<string, Promise<void>>();
  private lastSweep: number | undefined;
  // The last failed read, while loads fail at once (`pauseAfterFailureMs`).
  private failure: { at: number; until: number; message: string } | undefined;

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      ttlMs: number;
      now?: () => number;
      /** Deadline of one `getEntitiesByRefs` call; default 5 s. */
      timeoutMs?: number;
      /**
       * After a read failed (an error or the deadline), loads (of what callers miss) fail at once
       * for this long instead of asking the catalog again: during an outage the catalog's
       * processing would otherwise wait out one deadline per entity (ten at a time). Default 0:
       * every load asks.
       */
      pauseAfterFailureMs?: number;
    },
  ) {}

  /** Entries held, expired ones not swept yet included. */
  get size(): number {
    return this.entries.size;
  }

  /** The cached entity (`null`: known not to exist), or `undefined` when not loaded or expired. */
  peek(ref: string): Entity | null | undefined {
    const entry = this.entries.get(ref);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(ref);
      return undefined;
    }
    return entry.entity;
  }

  /**
   * Loads refs into the cache in batches of 100, waiting for those another load is already
   * reading; rejects when the catalog cannot be read or a batch takes longer than `timeoutMs`
   * (also for a load that was waiting on that batch), and at once while a failure pauses reads
   * (`pauseAfterFailureMs`).
   */
  async load(refs: Iterable<string>): Promise<void> {
    const wanted = [...new Set(refs)];
    if (wanted.length === 0) return;
    this.sweepExpired();
    // Everything up to registering the batches in `inFlight` is synchronous, so a load started
    // in the same tick sees them.
    const waits = new Set<Promise<void>>();
    const own: string[] = [];
    for (const ref of wanted) {
      const pending = this.inFlight.get(ref);
      if (pending) waits.add(pending);
      else own.push(ref);
    }
    if (own.length === 0) {
      await Promise.all(waits);
      return;
    }
    const paused = this.pausedBy();
    if (paused) throw new Error(paused);
    const credentials = this.options.auth.getOwnServiceCredentials();
    // One batch after the other, as before: a large load does not flood the catalog.
    let previous: Promise<void> = Promise.resolve();
    for (let i = 0; i < own.length; i += BATCH) {
      const chunk = own.slice(i, i + BATCH);
      const batch = previous.then(async () =>
        this.loadBatch(chunk, await credentials),
      );
      previous = batch;
      waits.add(batch);
      for (const ref of chunk) this.inFlight.set(ref, batch);
      const settled = () => {
        for (const ref of chunk)
          if (this.inFlight.get(ref) === batch) this.inFlight.delete(ref);
      };
      // Handles the rejection here too; `Promise.all` below reports it to the caller.
      batch.then(settled, settled);
    }
    await Promise.all(waits);
  }

  /** Why loads fail at once now (a recent failed read), or undefined when they may ask. */
  private pausedBy(): string | undefined {
    const { failure } = this;
    if (!failure) return undefined;
    const now = this.now();
    if (now >= failure.until) {
      this.failure = undefined;
      return undefined;
    }
    return `the catalog was not read: a read failed ${Math.round(
      (now - failure.at) / 1000,
    )} s ago (${failure.message}); asking again in ${Math.ceil(
      (failure.until - now) / 1000,
    )} s`;
  }

  private async loadBatch(
    chunk: string[],
    credentials: BackstageCredentials,
  ): Promise<void> {
    let answer: Awaited<ReturnType<CatalogService['getEntitiesByRefs']>>;
    try {
      answer = await withDeadline(
        this.options.catalog.getEntitiesByRefs(
          { entityRefs: chunk },
          { credentials },
        ),
        this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      );
      // The catalog answers one item per ref asked, in order (null: no such entity). Any other
      // answer is no answer: read as it stands, the refs past its end would be cached as
      // entities that do not exist, and readiness would report them missing until the TTL ends.
      if (
        !Array.isArray(answer?.items) ||
        answer.items.length !== chunk.length
      ) {
        throw new Error(
          `the catalog answered ${
            Array.isArray(answer?.items) ? answer.items.length : 'no'
          } items for ${chunk.length} refs`,
        );
      }
    } catch (error) {
      const pause = this.options.pauseAfterFailureMs ?? 0;
      if (pause > 0) {
        const at = this.now();
        this.failure = {
          at,
          until: at + pause,
          message: error instanceof Error ? error.message : String(error),
        };
      }
      throw error;
    }
    // The catalog answers: loads need not wait out a pause an earlier failure started.
    this.failure = undefined;
    const { items } = answer;
    const expiresAt = this.now() + this.options.ttlMs;
    chunk.forEach((ref, j) => {
      this.entries.set(ref, { entity: items[j] ?? null, expiresAt });
    });
  }

  /**
   * Drops expired entries, at most once per TTL: `peek` only forgets the refs it is asked
   * about, and a ref nobody asks for again (a team gone, a brief of last week) would otherwise
   * keep its entity JSON for the life of the process.
   */
  private sweepExpired() {
    const now = this.now();
    if (
      this.lastSweep !== undefined &&
      now - this.lastSweep < this.options.ttlMs
    )
      return;
    this.lastSweep = now;
    for (const [ref, entry] of this.entries)
      if (entry.expiresAt <= now) this.entries.delete(ref);
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
