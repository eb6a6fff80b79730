import { AuthService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createHash } from 'node:crypto';
import { ArrivalsOverlay } from './ArrivalsOverlay';
import {
  CatalogIndex,
  CatalogRead,
  CatalogReads,
  MATURITY_LEVEL_LABEL,
  SCORECARD_SCORE_ANNOTATION,
  SCORECARD_STANDARD_ANNOTATION,
  catalogRead,
  catalogReadsOf,
  entityRefOf,
  indexCatalog,
  someCatalogRead,
  withArrivals,
} from '@internal/plugin-scorecards-common';

/** How long an arrival is kept while no snapshot holds it (deleted, or never stitched). */
const ARRIVAL_TTL_MS = 10 * 60_000;
/**
 * Most arrivals held: they are dropped only by a successful refresh, so while refreshes fail
 * during a large import the entities would otherwise pile up in memory; past this many, later
 * arrivals wait for the next refresh as before.
 */
const MAX_ARRIVALS = 20_000;
/**
 * Kinds never held as arrivals: the engine reads groups and users through the reverse lookups
 * too (parents, members), which an arrival does not answer; a half-known group would turn
 * "owner not found" into a definite but wrong fail.
 */
const NOT_HELD_KINDS = new Set(['group', 'user']);

/**
 * Most changed reads remembered; past it they are forgotten at once and every evaluation made
 * before counts as changed (as after a catalog replaced wholesale), which keeps memory bounded:
 * a few reads per edited entity, so after some 50,000 edits every entity evaluates once more.
 */
const MAX_CHANGED_READS = 200_000;

const STAMP_KEYS = [
  MATURITY_LEVEL_LABEL,
  SCORECARD_SCORE_ANNOTATION,
  SCORECARD_STANDARD_ANNOTATION,
];

/**
 * The catalog around the entities being scored (groups, members, parents, systems, domains,
 * APIs, dependents), read in full with the module's own service credentials and indexed once
 * per refresh (§7.5). Until the first refresh succeeds `current()` is undefined; a failed
 * refresh keeps the previous index, whose age the engine judges (older than 10 min → unknown).
 *
 * Entities that arrive between two refreshes (an import: a Component and its System in the same
 * batch) are noted by the processor as it finishes them (`noteProcessed`) and answered by
 * `current()` until a refresh reads them from the catalog. Without them, every stamp computed
 * against a snapshot older than its System, APIs or dependencies was wrong until the next loop
 * and written and stitched a second time (benchmarks: "convergence after a bulk import").
 * Only references that happen to be processed first are caught (the catalog processes an
 * import in no fixed order); for the others, `onArrival` tells the module of each arrival, so
 * the entities that named it before it existed are processed again (`AwaitedRefsRefresher`).
 *
 * For reuse (`EvaluationReuse`), it tells which lookups answer differently since a generation
 * (`changedSince`): a refresh compares each entity with the previous snapshot's, and an arrival
 * or an expiry changes the lookup of that one entity.
 */
export class CatalogSnapshotCache {
  private index: CatalogIndex | undefined;
  /** Each entity's content digest in `index` (`contentLineOf`), by ref. */
  private digests = new Map<string, string>();
  private readonly arrivals: ArrivalsOverlay;
  private overlaid: CatalogIndex | undefined;
  /** Counts the changes to what `current()` answers; 0 until the first snapshot. */
  private changes = 0;
  /** The change after which each read last answered differently. */
  private readonly changedAt = new Map<CatalogRead, number>();
  /** Evaluations made before this change count as changed (`forgetAll`). */
  private forgottenBefore = 1;
  /** Whether the last refresh read two entities under one ref. */
  private duplicated = false;

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      clock?: () => Date;
      /** Most entities held between refreshes (default 20,000). */
      maxArrivals?: number;
      /**
       * Told of entities that now exist for the evaluations: one the processor saw that no
       * snapshot held (as it is held), or one a refresh read for the first time that was not
       * held. Never the entities of the first refresh. Must not throw.
       */
      onArrival?: (refs: string[]) => void;
    },
  ) {
    this.arrivals = new ArrivalsOverlay({
      ttlMs: ARRIVAL_TTL_MS,
      max: options.maxArrivals ?? MAX_ARRIVALS,
      contentOf: contentLineOf,
      changed: ref => this.noteChanged([catalogRead('g', ref)]),
    });
  }

  /**
   * The latest indexed snapshot, if one was ever loaded; while entities processed after it are
   * held (`noteProcessed`), the snapshot with their by-ref answers added.
   */
  current(): CatalogIndex | undefined {
    if (!this.index || this.arrivals.size === 0) return this.index;
    this.overlaid ??= withArrivals(this.index, ref => this.arrivals.get(ref));
    return this.overlaid;
  }

  /**
   * Called with every entity the catalog has just processed: one the snapshot does not hold
   * is kept for `current()` until a refresh reads it, or for 10 minutes (`ArrivalsOverlay`).
   * Entities the snapshot holds are left to the next refresh, so the steady loop costs one
   * lookup each. Groups and users are never held (`NOT_HELD_KINDS`).
   */
  noteProcessed(entity: Entity): void {
    if (!this.index) return;
    if (NOT_HELD_KINDS.has(entity.kind.toLocaleLowerCase('en-US'))) return;
    const ref = entityRefOf(entity);
    if (this.index.get(ref)) return;
    if (this.arrivals.note(ref, entity, this.now())) {
      this.options.onArrival?.([ref]);
    }
  }

  /**
   * The number of the current state of `current()`'s answers: it moves on when a refresh, an
   * arrival or an expiry changes any answer, and stays when a refresh reads the same catalog
   * (our own stamps and catalog bookkeeping aside). 0 before the first snapshot.
   */
  generation(): number {
    return this.changes;
  }

  /**
   * Whether any of `reads` (an evaluation's lookups, `collectCatalogReads`) answers differently
   * now than at `generation`: an evaluation whose reads did not change is still the answer,
   * whatever else changed in the catalog.
   */
  changedSince(reads: CatalogReads, generation: number): boolean {
    if (generation === this.changes) return false;
    if (generation < this.forgottenBefore) return true;
    return someCatalogRead(
      reads,
      read => (this.changedAt.get(read) ?? 0) > generation,
    );
  }

  /** Reads the whole catalog and replaces the index; rejects when the catalog cannot be read. */
  async refresh(): Promise<number> {
    const refreshedAt = (this.options.clock?.() ?? new Date()).toISOString();
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const entities: Entity[] = [];
    // The engine reads spec and metadata only; relations are the bulk of an entity, so they
    // are not even sent.
    for await (const page of this.options.catalog.streamEntities(
      { pageSize: 500, fields: ['apiVersion', 'kind', 'metadata', 'spec'] },
      { credentials },
    )) {
      for (const entity of page) {
        const { relations: _relations, ...rest } = entity;
        entities.push(rest);
      }
    }
    const previous = this.index;
    const previousDigests = this.digests;
    const digests = new Map<string, string>();
    let duplicated = false;
    for (const entity of entities) {
      const ref = entityRefOf(entity);
      if (digests.has(ref)) duplicated = true;
      digests.set(
        ref,
        createHash('sha1').update(contentLineOf(entity)).digest('base64'),
      );
    }
    this.index = indexCatalog({ entities, refreshedAt });
    this.digests = digests;
    this.overlaid = undefined;
    // Two entities under one ref (the catalog keeps refs unique; a catalog that did not) both
    // feed the reverse lookups while only one has a digest, so a change to the other would go
    // unseen: every evaluation counts as changed instead, as after the first snapshot.
    if (!previous || duplicated || this.duplicated) this.forgetAll();
    else
      this.noteChanged(
        changedReads(previous, previousDigests, this.index, digests),
      );
    this.duplicated = duplicated;
    // Held arrivals were announced when they were noted; groups and users never are.
    const arrived =
      previous && this.options.onArrival
        ? [...digests.keys()].filter(
            ref => !previousDigests.has(ref) && !this.arrivals.get(ref),
          )
        : [];
    this.arrivals.settle(this.index, this.now());
    if (arrived.length > 0) this.options.onArrival?.(arrived);
    return entities.length;
  }

  /** Moves to the next state when any read changed. */
  private noteChanged(reads: readonly CatalogRead[]): void {
    if (reads.length === 0) return;
    if (this.changedAt.size + reads.length > MAX_CHANGED_READS) {
      this.forgetAll();
      return;
    }
    this.changes += 1;
    for (const read of reads) this.changedAt.set(read, this.changes);
  }

  /** Moves to the next state with every evaluation made before it counted as changed. */
  private forgetAll(): void {
    this.changes += 1;
    this.changedAt.clear();
    this.forgottenBefore = this.changes;
  }

  private now(): number {
    return (this.options.clock?.() ?? new Date()).getTime();
  }
}

/**
 * The reads whose answers differ between two snapshots: for every entity added, removed or
 * changed (its content digest), the reads of its old and its new version (`catalogReadsOf`).
 * The digests leave out catalog bookkeeping (`etag` changes with every stitch) and our own
 * stamps (which change when a level does, and must not make other evaluations look changed).
 * The catalog serves each entity's JSON in a stable key order, so the plain serialization is a
 * stable digest (`hashEntity`'s canonical form was ~6× slower on 5,770 entities); a key order
 * that moved would only count as a change.
 */
function changedReads(
  previous: CatalogIndex,
  previousDigests: Map<string, string>,
  next: CatalogIndex,
  digests: Map<string, string>,
): CatalogRead[] {
  const changed = new Set<CatalogRead>();
  const add = (entity: Entity | undefined) => {
    if (entity) for (const read of catalogReadsOf(entity)) changed.add(read);
  };
  for (const [ref, digest] of digests) {
    if (previousDigests.get(ref) === digest) continue;
    add(previous.get(ref));
    add(next.get(ref));
  }
  for (const ref of previousDigests.keys()) {
    if (!digests.has(ref)) add(previous.get(ref));
  }
  return [...changed];
}

/** What an evaluation can read of an entity, as text (our stamps and the etag left out). */
function contentLineOf(entity: Entity): string {
  const {
    etag: _etag,
    labels,
    annotations,
    ...metadata
  } = entity.metadata as Entity['metadata'] & { etag?: string };
  return JSON.stringify([
    entity.kind,
    metadata,
    withoutStamps(labels),
    withoutStamps(annotations),
    entity.spec,
  ]);
}

function withoutStamps(
  record: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (!record || !STAMP_KEYS.some(key => key in record)) return record;
  const copy = { ...record };
  for (const key of STAMP_KEYS) delete copy[key];
  // An entity that had no labels before it was stamped reads the same as one never stamped.
  return Object.keys(copy).length > 0 ? copy : undefined;
}
