/** Options of {@link TtlCache}. */
export interface TtlCacheOptions {
  /** Most entries kept; beyond it the oldest written is dropped. Default 10,000. */
  maxEntries?: number;
  /** Expired entries are swept once per this many sets. Default 1,000. */
  sweepEvery?: number;
  /** And by a set at least this long after the last sweep. Default 5,000 ms. */
  sweepAfterMs?: number;
}

/**
 * A small time-to-live cache. An entry read after it expired is dropped then; entries never
 * read again (keys with a moving time window) are swept every `sweepEvery` sets, or by the first
 * set `sweepAfterMs` after the last sweep, and the number of entries is capped. The sweep by
 * time matters for a process that writes rarely: the incident-brief backend's risk sweep cached
 * a week of changes (megabytes) every 5 minutes under a key that never repeats, and on a quiet
 * weekend the 1,000th set came after ~3 days, with ~2 GB held by then.
 */
export class TtlCache<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();
  readonly #maxEntries: number;
  readonly #sweepEvery: number;
  readonly #sweepAfterMs: number;
  #setsSinceSweep = 0;
  #lastSweepAt: number;

  constructor(
    private readonly now: () => number,
    options: TtlCacheOptions = {},
  ) {
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#sweepEvery = options.sweepEvery ?? 1_000;
    this.#sweepAfterMs = options.sweepAfterMs ?? 5_000;
    this.#lastSweepAt = now();
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
    const at = this.now();
    if (
      this.#setsSinceSweep >= this.#sweepEvery ||
      at - this.#lastSweepAt >= this.#sweepAfterMs
    ) {
      this.#setsSinceSweep = 0;
      this.#lastSweepAt = at;
      this.deleteWhere((_, expiresAt) => expiresAt <= at);
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
