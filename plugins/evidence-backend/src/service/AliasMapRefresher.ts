import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { AliasResolver } from './AliasResolver';

/** Options of {@link AliasMapRefresher}. */
export interface AliasMapRefresherOptions {
  resolver: AliasResolver;
  /** Reads the catalog (every entity the maps are built from). */
  loadEntities: () => Promise<Entity[]>;
  logger: LoggerService;
  /** Wait between tries while the map has never loaded; default 5 s. */
  retryMs?: number;
  clock?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Keeps a replica's alias map current (§2.1) for the `evidence-aliases` task, and says so when
 * it cannot. A failed read used to leave no log line at all (the scheduler keeps the error in
 * the task's state only), so the map could stay a day old, or never load, unnoticed; and a
 * replica whose first read failed (the catalog still starting) waited the task's full minute.
 * Now a failure is logged when it starts or its message changes, with the age of the map in
 * use, and the recovery once; until the first load succeeds a run tries again every few seconds.
 */
export class AliasMapRefresher {
  private failing?: string;
  private loadedAtMs?: number;
  private readonly clock: () => number;

  constructor(private readonly options: AliasMapRefresherOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /** One read of the catalog; throws what the read threw, after logging it. */
  async refresh(): Promise<void> {
    const { resolver, logger } = this.options;
    try {
      const changed = await resolver.refresh(async () => {
        const entities = await this.options.loadEntities();
        // Once a map is loaded, an empty answer is far likelier an outage (a catalog database
        // restored empty, a provider mid-way through a full refresh) than every entity deleted;
        // taken as read it would leave every explicit-ref fact, change and run unresolved, and
        // fact reads empty, until the next good read. Kept, and told as a failed read.
        if (entities.length === 0 && resolver.isLoaded) {
          throw new Error(
            'the catalog answered no entities at all, which is taken for an outage, not every entity deleted',
          );
        }
        return entities;
      });
      this.loadedAtMs = this.clock();
      if (changed) logger.info('evidence alias map changed');
      if (this.failing !== undefined) {
        this.failing = undefined;
        logger.info('evidence alias map read from the catalog again');
      }
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      if (this.failing !== message) {
        this.failing = message;
        logger.warn(
          `evidence alias map could not be read from the catalog: ${message}; ${this.inUse()}`,
        );
      }
      throw error;
    }
  }

  /**
   * The task's run: one read, or, while the map has never loaded, a read every `retryMs` until
   * one succeeds or `signal` (the task's timeout or shutdown) stops it.
   */
  async run(signal?: AbortSignal): Promise<void> {
    const retryMs = this.options.retryMs ?? 5_000;
    const sleep = this.options.sleep ?? abortableSleep;
    for (;;) {
      try {
        await this.refresh();
        return;
      } catch (error) {
        if (this.options.resolver.isLoaded || signal?.aborted) throw error;
      }
      await sleep(retryMs, signal);
      if (signal?.aborted) return;
    }
  }

  private inUse(): string {
    if (this.loadedAtMs === undefined) {
      return 'no map loaded yet: evidence reads as stored, and new subjects stay unresolved until one is';
    }
    const minutes = Math.floor((this.clock() - this.loadedAtMs) / 60_000);
    return `using the map read ${minutes} min ago`;
  }
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
