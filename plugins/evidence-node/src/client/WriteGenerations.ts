/** One load's view of the scopes it reads, from {@link WriteGenerations.begin}. */
export interface LoadTicket {
  /** Whether no write went to `scope` since the load began; ask before `end`. */
  unchanged(scope: string): boolean;
  /** Ends the load, whatever its outcome; later calls do nothing. */
  end(): void;
}

/**
 * Tells a load whether a write through the client went through while it was in flight. Such a
 * load may carry the answer from before the write; deleting the cache entries at the write
 * does not help, since the load stores its answer after that (evidence §5.4: writes invalidate
 * the refs they touch). A scope is a ref, or the whole ledger.
 *
 * Only scopes with a load in flight are tracked, so memory follows the loads in flight rather
 * than every ref ever written.
 */
export class WriteGenerations {
  readonly #scopes = new Map<string, { loads: number; writes: number }>();

  /** Notes the write generation of each scope at the start of a load. */
  begin(scopes: Iterable<string>): LoadTicket {
    const noted = new Map<string, number>();
    for (const scope of scopes) {
      if (noted.has(scope)) continue;
      let tracked = this.#scopes.get(scope);
      if (!tracked) {
        tracked = { loads: 0, writes: 0 };
        this.#scopes.set(scope, tracked);
      }
      tracked.loads += 1;
      noted.set(scope, tracked.writes);
    }
    let ended = false;
    return {
      unchanged: scope =>
        !ended &&
        noted.has(scope) &&
        this.#scopes.get(scope)?.writes === noted.get(scope),
      end: () => {
        if (ended) return;
        ended = true;
        for (const scope of noted.keys()) {
          const tracked = this.#scopes.get(scope)!;
          tracked.loads -= 1;
          if (tracked.loads === 0) this.#scopes.delete(scope);
        }
      },
    };
  }

  /** Records a write to `scope`: loads of it now in flight may hold what preceded it. */
  written(scope: string): void {
    const tracked = this.#scopes.get(scope);
    if (tracked) tracked.writes += 1;
  }
}
