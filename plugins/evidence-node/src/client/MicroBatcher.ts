/** Options of {@link MicroBatcher}. */
export interface MicroBatcherOptions<R> {
  /** How long to collect keys before sending. */
  windowMs: number;
  /** Most keys per call. */
  maxPerCall: number;
  /**
   * Optional bound on a call's keys by size, for calls that carry their keys in the URL: a
   * chunk is closed before its keys' `sizeOf` would pass `maxSizePerCall` (a key larger than
   * the bound is sent alone).
   */
  size?: { maxSizePerCall: number; sizeOf(key: string): number };
  /** Most calls in flight at once. */
  maxInFlight: number;
  /** Loads one chunk of keys for one signature; keys absent from the map have no value. */
  loadChunk(signature: string, keys: string[]): Promise<Map<string, R>>;
  /**
   * Whether a call that failed with `error` is worth repeating per caller: the backend refused
   * the request's content (one caller's bad key), not its own health. Each caller whose keys
   * were in such a call is then loaded on its own, so only the offending caller fails.
   */
  retryAlone?(error: unknown): boolean;
}

/** What a set of chunks gave: values, and the error of each key whose chunk failed. */
interface Loaded<R> {
  values: Map<string, R>;
  failures: Map<string, unknown>;
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
    const shared = batch.waiters.length > 1;
    void this.#loadAll(signature, unique).then(loaded =>
      Promise.all(
        batch.waiters.map(waiter =>
          this.#settle(signature, waiter, loaded, shared),
        ),
      ),
    );
  }

  /** Answers one caller from the batch's calls, first loading it alone if that may help. */
  async #settle(
    signature: string,
    waiter: Waiter<R>,
    loaded: Loaded<R>,
    shared: boolean,
  ): Promise<void> {
    const failed = waiter.keys.filter(k => loaded.failures.has(k));
    const retryAlone = this.options.retryAlone;
    // Alone in the batch, the caller's own call would fail the same way: not repeated.
    const alone =
      shared &&
      failed.length > 0 &&
      retryAlone &&
      failed.every(k => retryAlone(loaded.failures.get(k)))
        ? await this.#loadAll(signature, failed)
        : undefined;
    const failures = alone?.failures ?? loaded.failures;
    const failedKey = waiter.keys.find(k => failures.has(k));
    if (failedKey !== undefined) {
      waiter.reject(failures.get(failedKey));
      return;
    }
    const own = new Map<string, R>();
    for (const key of waiter.keys) {
      const value = alone?.values.get(key) ?? loaded.values.get(key);
      if (value !== undefined) own.set(key, value);
    }
    waiter.resolve(own);
  }

  /** Loads keys in chunks of `maxPerCall` (and `size`), `maxInFlight` at a time; never rejects. */
  async #loadAll(signature: string, keys: string[]): Promise<Loaded<R>> {
    const chunks = this.#chunks(keys);
    const loaded: Loaded<R> = { values: new Map(), failures: new Map() };
    await Promise.all(
      chunks.map(chunk =>
        this.#limited(() => this.options.loadChunk(signature, chunk)).then(
          values => values.forEach((v, k) => loaded.values.set(k, v)),
          error => chunk.forEach(k => loaded.failures.set(k, error)),
        ),
      ),
    );
    return loaded;
  }

  #chunks(keys: string[]): string[][] {
    const { maxPerCall, size } = this.options;
    const chunks: string[][] = [];
    let chunk: string[] = [];
    let chunkSize = 0;
    for (const key of keys) {
      const keySize = size ? size.sizeOf(key) : 0;
      const full =
        chunk.length >= maxPerCall ||
        (size !== undefined &&
          chunk.length > 0 &&
          chunkSize + keySize > size.maxSizePerCall);
      if (full) {
        chunks.push(chunk);
        chunk = [];
        chunkSize = 0;
      }
      chunk.push(key);
      chunkSize += keySize;
    }
    if (chunk.length > 0) chunks.push(chunk);
    return chunks;
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
