import { LoggerService } from '@backstage/backend-plugin-api';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { awaitKeyOf } from './awaitedRefs';

/** Options of {@link AwaitedRefsRefresher}. */
export interface AwaitedRefsRefresherOptions {
  logger: LoggerService;
  /** The catalog is asked once no entity arrived for this long (default 2 s)... */
  quietMs?: number;
  /** ...or this long after the first arrival not asked for yet, at the latest (default 60 s). */
  maxDelayMs?: number;
  /** Refresh keys per request to the catalog (default 500). */
  chunkSize?: number;
  /**
   * More arrivals than this in one wait (an import) are not asked for: the next catalog loop
   * corrects the entities waiting for them at less cost (default 100).
   */
  maxRefs?: number;
}

/**
 * Asks the catalog to process again the entities that named an entity before it existed, when
 * it arrives (see `awaitedRefs`). An entity provider that never provides entities: its
 * connection's `refresh({ keys })` makes every entity registered under one of the keys due now.
 *
 * Arrivals come from the catalog snapshot cache: an entity the processor saw that the snapshot
 * does not hold, or one a snapshot refresh read for the first time. They are gathered until
 * none arrived for `quietMs` (at most `maxDelayMs`): during an import arrivals stream for
 * minutes, and an entity waiting for several of them would otherwise be processed again for
 * each. Never throws; a failed request is logged and its refs are left to the catalog's next
 * loop.
 *
 * A bulk import is left to the catalog's loop too (more than `maxRefs` arrivals in one wait):
 * in the pipeline benchmark (5,000 entities), processing the waiting entities again during the
 * import took more CPU than the loop's corrections it spared (docs/benchmarks.md, "Reprocessing
 * on arrival"), since most entities wait for something and not all of them change.
 */
export class AwaitedRefsRefresher implements EntityProvider {
  readonly #options: Required<AwaitedRefsRefresherOptions>;
  #connection: EntityProviderConnection | undefined;
  readonly #pending = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #firstPendingAt: number | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #requested = 0;
  #skipped = 0;
  #stopped = false;

  constructor(options: AwaitedRefsRefresherOptions) {
    this.#options = {
      quietMs: 2000,
      maxDelayMs: 60_000,
      chunkSize: 500,
      maxRefs: 100,
      ...options,
    };
  }

  getProviderName(): string {
    return 'scorecards-awaited-refs';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    if (this.#pending.size > 0) this.#schedule();
  }

  /** Refs asked for so far (each counted once per request). */
  get requested(): number {
    return this.#requested;
  }

  /** Refs left to the catalog's loop as part of a bulk import. */
  get skipped(): number {
    return this.#skipped;
  }

  /** Entities that now exist: the ones waiting for them are processed again shortly. */
  arrived(refs: Iterable<string>): void {
    if (this.#stopped) return;
    for (const ref of refs) this.#pending.add(ref);
    if (this.#pending.size > 0) this.#schedule();
  }

  /** Asks the catalog for everything gathered so far; resolves when it has answered. */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#firstPendingAt = undefined;
    this.#flushing = this.#flushing.then(() => this.#send());
    return this.#flushing;
  }

  /**
   * Shutdown: drops what was gathered (left to the catalog's loop) and asks nothing more, also
   * for arrivals the catalog's processing still reports while it stops.
   */
  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#firstPendingAt = undefined;
    this.#pending.clear();
  }

  /** (Re)starts the wait: `quietMs` from now, but no later than `maxDelayMs` after the first. */
  #schedule(): void {
    if (!this.#connection) return;
    const now = Date.now();
    this.#firstPendingAt ??= now;
    const wait = Math.max(
      0,
      Math.min(
        this.#options.quietMs,
        this.#firstPendingAt + this.#options.maxDelayMs - now,
      ),
    );
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.flush().catch(() => {});
    }, wait);
    this.#timer.unref?.();
  }

  async #send(): Promise<void> {
    const connection = this.#connection;
    if (!connection || this.#stopped || this.#pending.size === 0) return;
    const refs = [...this.#pending];
    this.#pending.clear();
    if (refs.length > this.#options.maxRefs) {
      this.#skipped += refs.length;
      this.#options.logger.info(
        `scorecards: ${refs.length} entities arrived at once (an import); the entities that named them before they existed are corrected by the catalog's next loop`,
      );
      return;
    }
    for (let i = 0; i < refs.length; i += this.#options.chunkSize) {
      if (this.#stopped) return;
      const chunk = refs.slice(i, i + this.#options.chunkSize);
      try {
        await connection.refresh({ keys: chunk.map(awaitKeyOf) });
        this.#requested += chunk.length;
      } catch (error) {
        this.#options.logger.warn(
          `scorecards: could not ask the catalog to process again the entities waiting for ${
            chunk.length
          } new entit${
            chunk.length === 1 ? 'y' : 'ies'
          }; they are corrected by its next loop: ${String(error)}`,
        );
      }
    }
  }
}
