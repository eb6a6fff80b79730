/** Options of {@link MicroBatcher}. */
export interface MicroBatcherOptions<R> {
  /** How long to collect keys before sending. */
  windowMs: number;
  /** Most keys per call. */
  maxPerCall: number;
  /** Most calls in flight at once. */
  maxInFlight: number;
  /** Loads one chunk of keys for one signature; keys absent from the map have no value. */
  loadChunk(signature: string, keys: string[]): Promise<Map<string, R>>;
}

interface Waiter<R> {
  keys: string[];
  resolve(value: Map<string, R>): void;
  reject(error: unknown): void;
}

/**
 * Merges the single-entity reads a catalog processing loop makes one by one into a few bulk
 * calls: keys with the same signature that arrive within one window are deduplicated and sent
 * in chunks (evidence §5.4: 5 ms, ≤ 200 refs per call, ≤ 4 calls in flight).
 */
export class MicroBatcher<R> {
  readonly #pending = new Map<
    string,
    { waiters: Waiter<R>[]; timer: ReturnType<typeof setTimeout> }
  >();
  #inFlight = 0;
  readonly #queue: (() => void)[] = [];

  constructor(private readonly options: MicroBatcherOptions<R>) {}

  /** Resolves with the values of `keys` once their batch has been loaded. */
  load(signature: string, keys: string[]): Promise<Map<string, R>> {
    return new Promise((resolve, reject) => {
      let batch = this.#pending.get(signature);
      if (!batch) {
        const timer = setTimeout(
          () => this.#flush(signature),
          this.options.windowMs,
        );
        batch = { waiters: [], timer };
        this.#pending.set(signature, batch);
      }
      batch.waiters.push({ keys, resolve, reject });
    });
  }

  #flush(signature: string): void {
    const batch = this.#pending.get(signature);
    if (!batch) return;
    this.#pending.delete(signature);
    const unique = [...new Set(batch.waiters.flatMap(w => w.keys))];
    const chunks: string[][] = [];
    for (let i = 0; i < unique.length; i += this.options.maxPerCall) {
      chunks.push(unique.slice(i, i + this.options.maxPerCall));
    }
    const results = new Map<string, R>();
    const failures = new Map<string, unknown>();
    Promise.all(
      chunks.map(chunk =>
        this.#limited(() => this.options.loadChunk(signature, chunk)).then(
          values => values.forEach((v, k) => results.set(k, v)),
          error => chunk.forEach(k => failures.set(k, error)),
        ),
      ),
    ).then(() => {
      for (const waiter of batch.waiters) {
        const failed = waiter.keys.find(k => failures.has(k));
        if (failed !== undefined) {
          waiter.reject(failures.get(failed));
          continue;
        }
        const own = new Map<string, R>();
        for (const key of waiter.keys) {
          const value = results.get(key);
          if (value !== undefined) own.set(key, value);
        }
        waiter.resolve(own);
      }
    });
  }

  async #limited<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#inFlight >= this.options.maxInFlight) {
      await new Promise<void>(resolve => this.#queue.push(resolve));
    }
    this.#inFlight += 1;
    try {
      return await fn();
    } finally {
      this.#inFlight -= 1;
      this.#queue.shift()?.();
    }
  }
}
