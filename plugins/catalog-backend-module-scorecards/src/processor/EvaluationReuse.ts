import { hash } from 'node:crypto';
import { Entity } from '@backstage/catalog-model';
import {
  isEntityRecordEvidence,
  type CatalogReads,
  type CompiledStandard,
  type EntityEvaluation,
  type ScorecardStamp,
  type Waiver,
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
  untilMs: number;
  stamp: ScorecardStamp | undefined;
  /** The snapshot lookups the evaluation made. */
  reads: CatalogReads;
  /** The snapshot's generation the reads were last known to answer the same at. */
  generation: number;
}

const SWEEP_EVERY = 1000;

/**
 * Reuses an entity's last stamp while nothing it was computed from has changed (§7.5, "the
 * catalog does not slow down"): the catalog revisits every entity every 100–150 s, and almost
 * always with the same entity, evidence, snapshot answers and waivers. The engine is pure, so
 * equal inputs give an equal answer — except for time, which is why every reuse has an end: the
 * first instant at which time alone could change a result (evidence it used turning stale, a
 * waiver expiring, a rollout or retirement instant of the standard, the snapshot turning stale)
 * or `reuseForMs` after the evaluation for everything else (e.g. ledger windows), whichever
 * comes first. Nothing is reused while the snapshot is stale (`validUntil`). Kept in memory
 * per replica, not in the catalog's processor cache: a cache value that changes costs the
 * catalog a database write per entity.
 */
export class EvaluationReuse {
  readonly #entries = new Map<string, Reusable>();
  readonly #boundaries: number[];
  #sets = 0;

  constructor(
    standard: CompiledStandard,
    private readonly options: {
      reuseForMs: number;
      catalogFreshForMs: number;
    },
  ) {
    this.#boundaries = rolloutInstants(standard);
  }

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
   * The stamp computed earlier from the same inputs, if it is still valid at `nowMs` and none
   * of the snapshot lookups it made answers differently now.
   */
  get(
    ref: string,
    key: string,
    nowMs: number,
    catalog: CatalogChanges,
  ): { readonly stamp: ScorecardStamp | undefined } | undefined {
    const entry = this.#entries.get(ref);
    if (!entry || entry.key !== key || nowMs >= entry.untilMs) return undefined;
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
    evaluation: EntityEvaluation | undefined,
    stamp: ScorecardStamp | undefined,
    context: {
      nowMs: number;
      snapshotRefreshedAtMs: number;
      waivers: readonly Waiver[];
      /** The snapshot lookups the evaluation made, and the generation it made them at. */
      reads: CatalogReads;
      generation: number;
    },
  ): void {
    if (this.options.reuseForMs <= 0) return;
    const untilMs = this.validUntil(ref, evaluation, context);
    if (untilMs <= context.nowMs) {
      this.#entries.delete(ref);
      return;
    }
    this.#entries.set(ref, {
      key,
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
   * The first instant after `nowMs` at which time alone could change the evaluation; `nowMs`
   * itself (no reuse) once the snapshot is past its freshness window.
   */
  validUntil(
    ref: string,
    evaluation: EntityEvaluation | undefined,
    context: {
      nowMs: number;
      snapshotRefreshedAtMs: number;
      waivers: readonly Waiver[];
    },
  ): number {
    const { nowMs } = context;
    const snapshotFreshUntil =
      context.snapshotRefreshedAtMs + this.options.catalogFreshForMs;
    // Nothing computed on a snapshot past its freshness window is reused: staleness ends with
    // the next successful refresh, and a refresh of an unchanged catalog keeps the snapshot's
    // version, so the key would not change and the stale answer (`none`, SR23) would outlive
    // the refresh by up to `reuseForMs`. A "stale" flag in the key would instead have to
    // repeat the engine's own freshness test (to the millisecond, boundary inclusive) here.
    // Not reusing costs an evaluation per visit, and only while refreshes fail.
    if (snapshotFreshUntil <= nowMs) return nowMs;
    let until = nowMs + this.options.reuseForMs;
    const consider = (instantMs: number) => {
      if (instantMs > nowMs && instantMs < until) until = instantMs;
    };
    consider(snapshotFreshUntil);
    for (const boundary of this.#boundaries) {
      if (boundary > nowMs) {
        consider(boundary);
        break;
      }
    }
    for (const waiver of context.waivers) {
      if (waiver.entityRef === ref) consider(Date.parse(waiver.expiresAt));
    }
    for (const result of evaluation?.results ?? []) {
      for (const used of result.evidence) {
        // The entity's own record is read at every visit and is part of the key: it never
        // turns stale with time, although its window of 0 s would end a millisecond after the
        // evaluation (every entity has such checks, so counting it ended every reuse at once).
        if (isEntityRecordEvidence(used)) continue;
        // Fresh up to and including observedAt + window (to the millisecond), so the first
        // stale instant is one millisecond later; an evaluation made exactly at the boundary
        // must not be reused past it.
        consider(Date.parse(used.observedAt) + used.freshForSeconds * 1000 + 1);
      }
      if (result.waiver) consider(Date.parse(result.waiver.expiresAt));
    }
    return until;
  }

  #sweep(nowMs: number): void {
    for (const [ref, entry] of this.#entries) {
      if (entry.untilMs <= nowMs) this.#entries.delete(ref);
    }
  }
}

/** Every rollout start and retirement instant of the standard, ascending. */
function rolloutInstants(standard: CompiledStandard): number[] {
  const all = new Set<number>();
  for (const check of standard.checks) {
    for (const step of check.rollout) {
      if (!Number.isNaN(step.fromMs)) all.add(step.fromMs);
    }
    if (check.retiresAtMs !== null && !Number.isNaN(check.retiresAtMs)) {
      all.add(check.retiresAtMs);
    }
  }
  return [...all].sort((a, b) => a - b);
}
