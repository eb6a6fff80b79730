import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorCache,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';
import type { LocationSpec } from '@backstage/plugin-catalog-common';
import type { EvidenceService } from '@internal/plugin-evidence-node';
import {
  CatalogIndex,
  CatalogReads,
  CompiledStandard,
  EntityEvaluation,
  MATURITY_LEVEL_LABEL,
  SCORECARD_SCORE_ANNOTATION,
  SCORECARD_STANDARD_ANNOTATION,
  ScorecardStamp,
  Waiver,
  collectCatalogReads,
  collectTimeLimit,
  entityRefOf,
  evaluateEntity,
  isScoredKind,
  normalizeEntityRef,
  plainObject,
  scorecardStamp,
} from '@internal/plugin-scorecards-common';
import {
  EvaluationEvidence,
  MirroredEvaluationEvidence,
  readEvaluationEvidence,
} from '@internal/plugin-scorecards-node';
import {
  CatalogChanges,
  EvaluationReuse,
  EvaluationTimeLimit,
} from './EvaluationReuse';
import { awaitKeyOf, awaitedRefs } from '../catalog/awaitedRefs';
import {
  CachedState,
  LEGACY_STATE_KEY,
  STATE_KEY,
  decodeState,
  writeState,
} from './cachedState';

const ERROR_LOG_INTERVAL_MS = 3600_000;
const MAX_PARENT_DEPTH = 5;
/** Where the owner chain starts in `evidenceRefs`. */
const OWNER_AT = 1;
/**
 * Most evaluations held for `postProcessEntity` (`HeldEvaluation`). The catalog processes at
 * most 10 entities at once; the rest are of entities the catalog rejected, each dropped at its
 * next visit or, for one never visited again (deleted), pushed out here, oldest first.
 */
const MAX_HELD = 200;

/**
 * A fresh evaluation waiting for the end of its entity's processing: offered to `results` by
 * `postProcessEntity`, which the catalog runs only when policies and validation accepted the
 * entity, so a result set of an entity version the catalog refused never reaches the backend.
 */
interface HeldEvaluation {
  /** The entity as evaluated (the result set's `entityHash` is taken from it, as before). */
  entity: Entity;
  evaluation: EntityEvaluation;
  /** The reuse key it was evaluated under, if any. */
  key?: string;
}

/** Options of {@link ScorecardsProcessor}. */
export interface ScorecardsProcessorOptions {
  standard: CompiledStandard;
  evidence: EvidenceService;
  /** The indexed catalog snapshot; undefined until the first refresh succeeded. */
  catalog: () => CatalogIndex | undefined;
  /**
   * Told of every entity the catalog has finished processing (any kind), so the snapshot can
   * answer for entities that arrived after it was read (`CatalogSnapshotCache.noteProcessed`).
   */
  noteProcessed?: (entity: Entity) => void;
  /**
   * Active waivers as last read from the scorecards backend; undefined before the first
   * successful read (`ActiveWaiverCache`).
   */
  waivers: () => readonly Waiver[] | undefined;
  logger: LoggerService;
  clock?: () => Date;
  /**
   * Evidence from the local mirror (synchronous); undefined answers (mirror not loaded yet)
   * fall back to a read through the evidence client.
   */
  mirror?: {
    read(refs: readonly string[]): MirroredEvaluationEvidence | undefined;
  };
  /** Content version of the active waivers, for reusing unchanged evaluations. */
  versions?: { waivers(): string };
  /**
   * What the snapshot answered since an evaluation (`CatalogSnapshotCache`), for reusing
   * evaluations whose lookups did not change.
   */
  catalogChanges?: CatalogChanges;
  /** Reuse of unchanged evaluations; only used with `mirror`, `versions` and `catalogChanges`. */
  reuse?: EvaluationReuse;
  /**
   * Receives every freshly computed result set (never a reused one) for the scorecards
   * backend (`ResultsPublisher`) once the catalog accepted the entity: evaluated in
   * `preProcessEntity`, it is offered by `postProcessEntity` of the same processing, which the
   * catalog skips for an entity its policies or validation refuse. Must return at once and
   * never throw.
   */
  results?: { offer(entity: Entity, evaluation: EntityEvaluation): unknown };
  /**
   * Registers a refresh key for each entity this one names that the snapshot does not hold
   * (`awaitedRefs`), for `AwaitedRefsRefresher` to have it processed again when that arrives.
   */
  awaitReferences?: boolean;
}

/**
 * Evaluates each scored entity (Component, Resource, API, System) while the catalog processes
 * it and stamps the compact summary (§7.5): label `ops.example.com/maturity-level` and
 * annotations `ops.example.com/scorecard-score`, `ops.example.com/scorecard-standard`; other
 * kinds are never stamped (a stamp they declare themselves is removed).
 * Never throws (SR33): an evidence outage becomes unknown results; an engine error keeps the
 * previous stamp (or none) and is logged at most once per entity per hour.
 * A fresh result set is offered to `results` only from `postProcessEntity` (`HeldEvaluation`).
 */
export class ScorecardsProcessor implements CatalogProcessor {
  /** Fresh evaluations by entity ref, from `preProcessEntity` to `postProcessEntity`. */
  private readonly held = new Map<string, HeldEvaluation>();
  /**
   * The processor caches of processings that may be dry runs (`mayBeDryRun`): the catalog hands
   * `preProcessEntity` and `postProcessEntity` of one processing the same cache object, so
   * post-processing knows to offer nothing, not even what another visit of the ref holds.
   */
  private readonly possibleDryRuns = new WeakSet<object>();

  constructor(private readonly options: ScorecardsProcessorOptions) {}

  getProcessorName(): string {
    return 'ScorecardsProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
    _originLocation: LocationSpec,
    cache: CatalogProcessorCache,
  ): Promise<Entity> {
    // Out-of-scope kinds carry no stamp (SR34): one written by hand would otherwise show up
    // when the catalog is filtered by level, which must return evaluated entities only (SR35).
    if (!isScoredKind(entity.kind)) return withStamp(entity, undefined);
    // In milliseconds: a visit that reuses its evaluation (almost every visit) never needs the
    // time as text, which only an evaluation and the cache state take (`isoOf`).
    const { clock } = this.options;
    const nowMs = clock ? clock().getTime() : Date.now();
    let state: CachedState | undefined;
    // The keys of the last evaluation unless this one computes new ones: a processing result
    // without them would be written again (see `awaitedRefs`).
    let awaits: string[] | undefined;
    try {
      const ref = entityRefOf(entity);
      // Read in the form written before 2026-12-06 only when it has none of the current form,
      // and then written back in the current form: once per entity.
      const current = await cache.get(STATE_KEY);
      const decoded = decodeState(
        current,
        current === undefined ? await cache.get(LEGACY_STATE_KEY) : undefined,
      );
      state = decoded?.state;
      if (decoded?.legacy) await writeState(cache, decoded.state);
      awaits = state?.awaits;
      const catalog = this.options.catalog();
      // `POST /validate-entity` and location dry runs process an entity with no processor cache
      // and store nothing. The catalog's own processing of an entity it already holds brings
      // the cache an earlier visit of ours wrote, except on the first visit after this module
      // was installed (or after its cache entry was lost). Such a visit is stamped as usual, but
      // neither offers a result set (nor, in `postProcessEntity`, what another visit of the ref
      // holds) nor leaves one to reuse, and it leaves what another visit holds to that visit:
      // the visit after it, with the cache, evaluates and offers afresh. So a dry run of a
      // stored entity never replaces its results or history.
      const mayBeDryRun =
        state === undefined && catalog?.get(ref) !== undefined;
      if (mayBeDryRun) this.possibleDryRuns.add(cache);
      // Whatever an earlier visit held was not offered: that processing never reached
      // `postProcessEntity` (the catalog refused the entity). Only this visit's may be offered.
      const earlier = mayBeDryRun ? undefined : this.held.get(ref);
      if (earlier) this.held.delete(ref);
      // Without a snapshot every owner check would be unknown and the whole catalog would drop
      // to `none` after each restart; keep the last stamp until the snapshot is loaded.
      if (!catalog) return withStamp(entity, state?.stamp);
      // Nor until the waivers are read, or every waived entity would drop a level (and history
      // record it as the team's regression). An entity never stamped is evaluated without
      // waivers, a lower bound, which is neither offered nor kept for reuse: the first visit
      // after the read evaluates it again.
      const waivers = this.options.waivers();
      if (!waivers && state?.stamp) return withStamp(entity, state.stamp);
      const { reuse, versions, catalogChanges } = this.options;
      // Taken with the snapshot: the reads of this evaluation are of this generation's answers.
      const generation = catalogChanges?.generation() ?? 0;
      const firstSeenAt = state?.firstSeenAt ?? isoOf(nowMs);
      const refs = evidenceRefs(ref, entity, catalog);
      const mirrored = this.options.mirror?.read(refs);
      const key =
        mirrored &&
        waivers &&
        reuse &&
        versions &&
        catalogChanges &&
        !mayBeDryRun
          ? reuse.keyOf({
              entity,
              evidenceVersion: mirrored.version,
              waiversVersion: versions.waivers(),
              firstSeenAt,
            })
          : undefined;
      const reused =
        key && catalogChanges
          ? reuse?.get(ref, key, nowMs, catalogChanges, catalog.refreshedAtMs)
          : undefined;
      if (reused) {
        // The reused evaluation is the one held by the refused visit that computed it (same
        // key), never offered: offered now if this processing is accepted, still only once.
        if (earlier && earlier.key === key) this.hold(ref, earlier);
        return withStamp(entity, reused.stamp);
      }

      const { standard } = this.options;
      const now = isoOf(nowMs);
      // Never rejects: a failing evidence client is an outage (unknown results), not an
      // engine error, which would keep the previous stamp (SR20, SR33).
      const evidence: EvaluationEvidence =
        mirrored?.evidence ??
        (await readEvaluationEvidence(
          this.options.evidence,
          refs,
          standard.config,
          now,
        ));
      const evaluate = () => {
        const result = evaluateEntity({
          now,
          entity,
          catalog,
          standard,
          ...evidence,
          waivers: waivers ?? [],
          firstSeenAt,
        });
        if (this.options.awaitReferences) {
          awaits = awaitedRefs(entity, catalog, state?.awaits);
        }
        return result;
      };
      // Only an evaluation that may be reused notes which snapshot answers it read (the refs it
      // awaits included, so their arrival ends the reuse) and when time alone could change it.
      let reads: CatalogReads | undefined;
      let timeLimit: EvaluationTimeLimit | undefined;
      let evaluation: ReturnType<typeof evaluate>;
      if (key) {
        const collected = collectCatalogReads(() => collectTimeLimit(evaluate));
        evaluation = collected.value.value;
        timeLimit = collected.value;
        reads = collected.reads;
      } else evaluation = evaluate();
      const stamp = scorecardStamp(evaluation) ?? undefined;
      await writeState(cache, {
        firstSeenAt,
        stamp,
        awaits: awaits?.length ? awaits : undefined,
      });
      if (key && reuse && reads && timeLimit) {
        reuse.set(ref, key, stamp, {
          nowMs,
          snapshotRefreshedAtMs: catalog.refreshedAtMs,
          timeLimit,
          reads,
          generation,
        });
      }
      // History in the backend follows the catalog (§7.5): offered by `postProcessEntity`.
      if (
        evaluation.scored &&
        this.options.results &&
        !mayBeDryRun &&
        waivers
      ) {
        this.hold(ref, { entity, evaluation, key });
      }
      return withStamp(entity, stamp);
    } catch (error) {
      const last = state?.lastErrorLoggedAt
        ? Date.parse(state.lastErrorLoggedAt)
        : 0;
      if (nowMs - last >= ERROR_LOG_INTERVAL_MS) {
        this.options.logger.warn(
          `Scorecard evaluation of ${safeRef(
            entity,
          )} failed; keeping its previous stamp: ${
            (error as Error)?.message ?? String(error)
          }`,
        );
        try {
          const now = isoOf(nowMs);
          await writeState(cache, {
            firstSeenAt: state?.firstSeenAt ?? now,
            stamp: state?.stamp,
            lastErrorLoggedAt: now,
            awaits: state?.awaits,
          });
        } catch {
          // The cache is best effort; losing the log throttle is harmless.
        }
      }
      return withStamp(entity, state?.stamp);
    } finally {
      if (this.options.awaitReferences && awaits) {
        try {
          for (const ref of awaits) {
            emit(processingResult.refresh(awaitKeyOf(ref)));
          }
        } catch {
          // Never a processing error (SR33): without its refresh keys the entity is corrected
          // at the catalog's next loop instead of on arrival.
        }
      }
    }
  }

  /**
   * Runs only for an entity the catalog accepted (policies, validation and every earlier step
   * passed): offers the evaluation `preProcessEntity` held for it, queued, never awaited.
   */
  async postProcessEntity(
    entity: Entity,
    _location?: LocationSpec,
    _emit?: CatalogProcessorEmit,
    cache?: CatalogProcessorCache,
  ): Promise<Entity> {
    // A possible dry run offers nothing (what another visit of the ref holds may be a version
    // the catalog refused) and is not noted as processed: nothing of it is stored.
    if (cache && this.possibleDryRuns.has(cache)) return entity;
    try {
      this.options.noteProcessed?.(entity);
    } catch {
      // Only an earlier answer for an import in flight is lost; never fail processing.
    }
    if (this.held.size > 0 && isScoredKind(entity.kind)) {
      try {
        // The catalog refuses an entity whose ref changed during processing: the same key.
        const ref = entityRefOf(entity);
        const held = this.held.get(ref);
        if (held) {
          this.held.delete(ref);
          this.options.results?.offer(held.entity, held.evaluation);
        }
      } catch {
        // `offer` never throws; a result set lost here is recorded by the backend's own pass.
      }
    }
    return entity;
  }

  /** Holds `held` for `postProcessEntity`, dropping the oldest beyond `MAX_HELD`. */
  private hold(ref: string, held: HeldEvaluation): void {
    this.held.set(ref, held);
    if (this.held.size > MAX_HELD) {
      const oldest = this.held.keys().next().value;
      if (oldest !== undefined) this.held.delete(oldest);
    }
  }
}

function safeRef(entity: Entity): string {
  try {
    return entityRefOf(entity);
  } catch {
    return `${entity.kind}:${entity.metadata?.name}`;
  }
}

function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * The refs whose evidence an evaluation reads: the entity's own, then its owner and, for a
 * group, the group's parents (their keyed on-call facts are read for routing checks). Built as
 * one array on every visit; an owner parent is listed once, the entity's ref is not compared.
 */
function evidenceRefs(
  ref: string,
  entity: Entity,
  catalog: CatalogIndex,
): string[] {
  const refs = [ref];
  const owner = normalizeEntityRef(
    (entity.spec as Record<string, unknown> | undefined)?.owner,
    'group',
    entity.metadata.namespace ?? 'default',
  );
  if (!owner) return refs;
  refs.push(owner);
  if (!owner.startsWith('group:')) return refs;
  let current: string | null = owner;
  for (let depth = 0; depth < MAX_PARENT_DEPTH && current; depth++) {
    current = catalog.parentOf(current);
    if (current && !refs.includes(current, OWNER_AT)) refs.push(current);
  }
  return refs;
}

/** The entity with our stamp applied (or removed when there is none), other keys untouched. */
function withStamp(entity: Entity, stamp: ScorecardStamp | undefined): Entity {
  // Checked first: every unscored entity of the catalog passes here, almost all unstamped.
  if (!stamp && !hasOwnStamp(entity)) return entity;
  const labels = copyOf(entity.metadata.labels);
  const annotations = copyOf(entity.metadata.annotations);
  // Only keys the entity carries are deleted: the entity the catalog hands in (its unprocessed
  // form) carries no stamp, and a delete calls into the runtime even for a key it lacks.
  dropOwn(labels, MATURITY_LEVEL_LABEL);
  dropOwn(annotations, SCORECARD_SCORE_ANNOTATION);
  dropOwn(annotations, SCORECARD_STANDARD_ANNOTATION);
  Object.assign(labels, stamp?.labels);
  Object.assign(annotations, stamp?.annotations);
  return {
    ...entity,
    metadata: { ...entity.metadata, labels, annotations },
  };
}

/**
 * A copy of an entity's labels or annotations to stamp. An entity without any gets a
 * `plainObject`: `{}` and the stamp's keys would take their classes from tables the whole process
 * shares, and once those are full each stamped entity would get a class of its own.
 */
function copyOf(values: Record<string, string> | undefined) {
  return values ? { ...values } : (plainObject() as Record<string, string>);
}

function dropOwn(values: Record<string, string>, key: string): void {
  if (Object.hasOwn(values, key)) delete values[key];
}

function hasOwnStamp(entity: Entity): boolean {
  return (
    entity.metadata.labels?.[MATURITY_LEVEL_LABEL] !== undefined ||
    entity.metadata.annotations?.[SCORECARD_SCORE_ANNOTATION] !== undefined ||
    entity.metadata.annotations?.[SCORECARD_STANDARD_ANNOTATION] !== undefined
  );
}
