import { hash } from 'node:crypto';
import { Entity } from '@backstage/catalog-model';
import {
  isSnapshotFresh,
  type CatalogReads,
  type ScorecardStamp,
} from '@internal/plugin-scorecards-common';

/** Everything an evaluation of one entity depends on, by version. */
export interface EvaluationInputs {
  entity: Entity;
  /** Version of the entity's mirrored evidence (entity, owner chain, source health). */
  evidenceVersion: string;
  /** Content version of the active waivers. */
  waiversVersion: string;
  firstSeenAt: string;
}

/**
 * What the catalog snapshot answered since an evaluation (`CatalogSnapshotCache`): the snapshot
 * is not part of the key, because a change anywhere in the catalog would then make every
 * evaluation look changed; an evaluation is reused while none of the lookups it made changed.
 */
export interface CatalogChanges {
  /** The number of the snapshot's current answers. */
  generation(): number;
  /** Whether any of `reads` answers differently now than at `generation`. */
  changedSince(reads: CatalogReads, generation: number): boolean;
}

interface Reusable {
  key: string;
  /** When the evaluation was made: a clock set back before it gets no reuse. */
  fromMs: number;
  untilMs: number;
  stamp: ScorecardStamp | undefined;
  /** The snapshot lookups the evaluation made. */
  reads: CatalogReads;
  /** The snapshot's generation the reads were last known to answer the same at. */
  generation: number;
}

/** When time alone could next change an evaluation (`collectTimeLimit`). */
export interface EvaluationTimeLimit {
  untilMs: number;
  /** False when a check type ran that does not note its time limits. */
  complete: boolean;
}

const SWEEP_EVERY = 1000;

/**
 * Longest reuse of an evaluation that ran a check type which does not note when time alone
 * could change its outcome (an extension type without `notesTimeLimits`).
 */
export const UNTRACKED_REUSE_MS = 5 * 60_000;

/**
 * Reuses an entity's last stamp while nothing it was computed from has changed (§7.5, "the
 * catalog does not slow down"): the catalog revisits every entity every 100–150 s, and almost
 * always with the same entity, evidence, snapshot answers and waivers. The engine is pure, so
 * equal inputs give an equal answer — except for time. The engine notes the first instant at
 * which time alone could change an outcome (evidence turning stale, a ledger, traffic or
 * observed-edge window closing, a retirement date, a waiver expiring, the standard's next
 * rollout instant: `collectTimeLimit`), and a reuse ends there, or `reuseForMs` after the
 * evaluation if that is sooner (`UNTRACKED_REUSE_MS` when an extension check type ran that
 * does not note its limits). The snapshot's own freshness is judged at each reuse, on the
 * current snapshot: nothing is reused while it is stale. Kept in memory per replica, not in
 * the catalog's processor cache: a cache value that changes costs the catalog a database write
 * per entity.
 */
export class EvaluationReuse {
  readonly #entries = new Map<string, Reusable>();
  #sets = 0;

  constructor(
    private readonly options: {
      reuseForMs: number;
      catalogFreshForMs: number;
    },
  ) {}

  /**
   * The key of an evaluation's inputs; equal keys mean equal inputs. The parts are joined by
   * NUL, which the entity's JSON escapes and no version (digests, counters) or timestamp holds,
   * so different inputs never give the same text. One string and a one-shot hash (the same
   * digest as the parts hashed one by one): this runs on every visit of every scored entity.
   */
  keyOf(inputs: EvaluationInputs): string {
    return hash(
      'sha1',
      `${JSON.stringify(inputs.entity)}\u0000${inputs.evidenceVersion}\u0000${
        inputs.waiversVersion
      }\u0000${inputs.firstSeenAt}`,
      'base64',
    );
  }

  /**
   * The stamp computed earlier from the same inputs, if time alone has not changed it by
   * `nowMs`, the current snapshot (read at `snapshotRefreshedAtMs`) is fresh and none of the
   * snapshot lookups the evaluation made answers differently now.
   */
  get(
    ref: string,
    key: string,
    nowMs: number,
    catalog: CatalogChanges,
    snapshotRefreshedAtMs: number,
  ): { readonly stamp: ScorecardStamp | undefined } | undefined {
    const entry = this.#entries.get(ref);
    if (!entry || entry.key !== key) return undefined;
    // The engine noted only the instants after the evaluation at which time could change it:
    // a clock set back before it (a waiver that had lapsed is active again) is not covered.
    if (!(nowMs >= entry.fromMs && nowMs < entry.untilMs)) return undefined;
    if (!this.#snapshotFresh(nowMs, snapshotRefreshedAtMs)) return undefined;
    const generation = catalog.generation();
    if (entry.generation !== generation) {
      if (catalog.changedSince(entry.reads, entry.generation)) return undefined;
      // Checked once per snapshot change, not on every visit after it.
      entry.generation = generation;
    }
    // The entry itself (`set` replaces it): no object per reuse.
    return entry;
  }

  /** Remembers a fresh evaluation's stamp until time alone could change it. */
  set(
    ref: string,
    key: string,
    stamp: ScorecardStamp | undefined,
    context: {
      nowMs: number;
      snapshotRefreshedAtMs: number;
      timeLimit: EvaluationTimeLimit;
      /** The snapshot lookups the evaluation made, and the generation it made them at. */
      reads: CatalogReads;
      generation: number;
    },
  ): void {
    if (this.options.reuseForMs <= 0) return;
    const untilMs = this.validUntil(context);
    if (untilMs <= context.nowMs) {
      this.#entries.delete(ref);
      return;
    }
    this.#entries.set(ref, {
      key,
      fromMs: context.nowMs,
      untilMs,
      stamp,
      reads: context.reads,
      generation: context.generation,
    });
    if (++this.#sets % SWEEP_EVERY === 0) this.#sweep(context.nowMs);
  }

  /** Entries held (for tests and logs). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The instant from which the evaluation is not reused: its time limit, within `reuseForMs`;
   * `nowMs` itself (no reuse) when it was made on a snapshot past its freshness window.
   */
  validUntil(context: {
    nowMs: number;
    snapshotRefreshedAtMs: number;
    timeLimit: EvaluationTimeLimit;
  }): number {
    const { nowMs, timeLimit } = context;
    // An evaluation made on a stale snapshot (`none`, SR23) ends with the staleness, at the
    // next successful refresh; a refresh of an unchanged catalog keeps every answer the same,
    // so nothing but this tells it apart from a fresh one.
    if (!this.#snapshotFresh(nowMs, context.snapshotRefreshedAtMs))
      return nowMs;
    const longest = timeLimit.complete
      ? this.options.reuseForMs
      : Math.min(this.options.reuseForMs, UNTRACKED_REUSE_MS);
    return Math.min(timeLimit.untilMs, nowMs + longest);
  }

  /** Whether a snapshot read at `refreshedAtMs` is fresh at `nowMs`, as the engine judges it. */
  #snapshotFresh(nowMs: number, refreshedAtMs: number): boolean {
    return isSnapshotFresh(
      nowMs,
      refreshedAtMs,
      this.options.catalogFreshForMs,
    );
  }

  #sweep(nowMs: number): void {
    for (const [ref, entry] of this.#entries) {
      if (entry.untilMs <= nowMs) this.#entries.delete(ref);
    }
  }
}
