/** A small time-to-live cache; entries expire lazily on read. */
export class TtlCache<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(private readonly now: () => number) {}

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
    this.#entries.set(key, { value, expiresAt: this.now() + ttlMs });
  }

  /** Drops every entry whose key satisfies the predicate. */
  deleteWhere(predicate: (key: string) => boolean): void {
    for (const key of this.#entries.keys()) {
      if (predicate(key)) this.#entries.delete(key);
    }
  }
}
