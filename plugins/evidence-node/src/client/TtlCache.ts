/** Options of {@link TtlCache}. */
export interface TtlCacheOptions {
  /** Most entries kept; beyond it the oldest written is dropped. Default 10,000. */
  maxEntries?: number;
  /** Expired entries are swept once per this many sets. Default 1,000. */
  sweepEvery?: number;
}

/**
 * A small time-to-live cache. An entry read after it expired is dropped then; entries never
 * read again (keys with a moving time window) are swept every `sweepEvery` sets, and the
 * number of entries is capped, so memory stays bounded in a process that never writes.
 */
export class TtlCache<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();
  readonly #maxEntries: number;
  readonly #sweepEvery: number;
  #setsSinceSweep = 0;

  constructor(
    private readonly now: () => number,
    options: TtlCacheOptions = {},
  ) {
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#sweepEvery = options.sweepEvery ?? 1_000;
  }

  /** Entries held, expired ones not yet swept included. */
  get size(): number {
    return this.#entries.size;
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, ttlMs: number): void {
    if (ttlMs <= 0) return;
    this.#setsSinceSweep += 1;
    if (this.#setsSinceSweep >= this.#sweepEvery) {
      this.#setsSinceSweep = 0;
      this.deleteWhere((_, expiresAt) => expiresAt <= this.now());
    }
    // Deleted first so that the Map's insertion order stays the order of writing.
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt: this.now() + ttlMs });
    // One at a time and O(1): the oldest written is the first key in the Map.
    while (this.#entries.size > this.#maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
  }

  /** Drops every entry whose key (and expiry) satisfies the predicate. */
  deleteWhere(predicate: (key: string, expiresAt: number) => boolean): void {
    for (const [key, entry] of this.#entries) {
      if (predicate(key, entry.expiresAt)) this.#entries.delete(key);
    }
  }
}
