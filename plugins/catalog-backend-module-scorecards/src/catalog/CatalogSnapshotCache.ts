import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
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
  withRefreshedAt,
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

/** What the engine reads of an entity; relations are the bulk of one, and not read. */
const ENTITY_FIELDS = ['apiVersion', 'kind', 'metadata', 'spec'];
/** What a refresh lists of every entity to tell which changed. */
const LISTING_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.etag',
];
/**
 * How often a refresh reads everything even though the etags say nothing changed: the catalog
 * sets an entity's etag only when the entity does not bring one, so an entity that declares
 * its own keeps it through any edit, and only a full read sees the edit.
 */
const FULL_READ_EVERY_MS = 10 * 60_000;
/**
 * The largest share of the catalog read by ref; past it a full read is cheaper (benchmarks:
 * at 5,770 entities the listing cost ~0.2 s and 1,761 entities read by ref ~0.6 s more, where
 * a full read cost ~0.4 s).
 */
const MOST_READ_BY_REF = 1 / 8;
/** Refs per read of changed entities. */
const BY_REFS_BATCH = 500;

/** What changed since the last refresh, as a listing of etags tells (`readChanges`). */
interface SnapshotChanges {
  /** Refs whose etag is new or missing, in listing order. */
  stale: string[];
  /** `stale`'s entities read by ref; undefined for one deleted since the listing. */
  read: (Entity | undefined)[];
  /** Held refs the listing no longer names. */
  gone: string[];
}

interface RefEntity {
  ref: string;
  entity: Entity;
}

interface HeldEntity {
  entity: Entity;
  digest: string;
  etag?: string;
}

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
  /** Each entity of `index` with its content digest and etag, by ref. */
  private held = new Map<string, HeldEntity>();
  /** When the last refresh read the whole catalog. */
  private fullReadAtMs = -Infinity;
  /**
   * Whether the last full read found more changed than a read by ref would take (an import
   * going on): the next refresh then reads everything at once, without listing etags first.
   */
  private busy = false;
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
      /**
       * How often a refresh reads everything though the etags say nothing changed (default
       * 10 min; 0: every refresh).
       */
      fullReadEveryMs?: number;
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

  /**
   * Reads the catalog and replaces the index; rejects when the catalog cannot be read.
   *
   * After the first, a refresh lists each entity's ref and etag only (the catalog gives every
   * stitched entity a new etag) and reads in full just the entities whose etag is new, which in
   * a steady catalog is none: the index is kept as it is, with the new refresh time. A full
   * read took 0.4–0.5 s of the catalog backend's CPU every minute at 5,770 entities, a third
   * or more of what the catalog's own steady loop spends; the listing half of it (benchmarks:
   * "the module's background tasks").
   * Entities without an etag are read every time; when more than an eighth need reading, when the
   * listing names a ref twice, or every 10 minutes (an entity may declare an etag of its own,
   * which the catalog then keeps through edits), the refresh reads everything as the first
   * one does; while full reads keep finding that much changed (an import), the next refresh
   * does not list first.
   * A refresh that another refresh overtook (the scheduler starts the next run when one passes
   * its timeout, and a slow read may still answer later) applies nothing: its reads are older
   * than the snapshot held, and its changes were worked out against an index no longer held.
   */
  async refresh(): Promise<number> {
    const refreshedAt = (this.options.clock?.() ?? new Date()).toISOString();
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const previous = this.index;
    const previousHeld = this.held;
    const nowMs = Date.parse(refreshedAt);
    const sinceFullReadMs = nowMs - this.fullReadAtMs;
    let changes: SnapshotChanges | undefined;
    if (
      previous &&
      !this.duplicated &&
      !this.busy &&
      // A clock set back counts as due: the 10 minutes must not stretch.
      sinceFullReadMs >= 0 &&
      sinceFullReadMs < (this.options.fullReadEveryMs ?? FULL_READ_EVERY_MS)
    ) {
      try {
        changes = await this.readChanges(credentials);
      } catch {
        // A listing or by-ref read that fails falls back to a full read now, rather than
        // leaving the snapshot to age until the next one is due.
        changes = undefined;
      }
    }
    // Overtaken while reading: the snapshot held is newer than what this refresh read.
    if (this.index !== previous) return this.held.size;
    if (
      previous &&
      changes &&
      changes.stale.length + changes.gone.length === 0
    ) {
      this.index = withRefreshedAt(previous, refreshedAt);
      this.overlaid = undefined;
      this.arrivals.settle(this.index, nowMs);
      return this.held.size;
    }
    // Every entity read, with its ref (two under one ref, if the catalog served a duplicate).
    let indexed: RefEntity[];
    let duplicated = false;
    const held = new Map<string, HeldEntity>();
    if (changes) {
      for (const [ref, entity] of previousHeld) held.set(ref, entity);
      for (const ref of changes.gone) held.delete(ref);
      const { stale, read } = changes;
      stale.forEach((ref, i) => {
        const entity = read[i];
        // Gone between the listing and the read.
        if (!entity) held.delete(ref);
        else held.set(ref, holdEntity(entity));
      });
      indexed = [...held].map(([ref, { entity }]) => ({ ref, entity }));
    } else {
      const read = await this.readAll(credentials);
      if (this.index !== previous) return this.held.size;
      indexed = read.map(entity => ({ ref: entityRefOf(entity), entity }));
      this.fullReadAtMs = nowMs;
      let etagsChanged = 0;
      for (const { ref, entity } of indexed) {
        if (held.has(ref)) duplicated = true;
        const hold = holdEntity(entity);
        if (!hold.etag || previousHeld.get(ref)?.etag !== hold.etag) {
          etagsChanged++;
        }
        held.set(ref, hold);
      }
      this.busy =
        previous !== undefined &&
        etagsChanged > indexed.length * MOST_READ_BY_REF;
    }
    // In ref order, whichever way they were read: the reverse lookups list entities in the
    // order indexed, so a partial read answers exactly as a full one would.
    this.index = indexCatalog({ entities: inRefOrder(indexed), refreshedAt });
    this.held = held;
    this.overlaid = undefined;
    // Two entities under one ref (the catalog keeps refs unique; a catalog that did not) both
    // feed the reverse lookups while only one has a digest, so a change to the other would go
    // unseen: every evaluation counts as changed instead, as after the first snapshot.
    if (!previous || duplicated || this.duplicated) this.forgetAll();
    else
      this.noteChanged(changedReads(previous, previousHeld, this.index, held));
    this.duplicated = duplicated;
    // Held arrivals were announced when they were noted; groups and users never are.
    const arrived =
      previous && this.options.onArrival
        ? [...held.keys()].filter(
            ref => !previousHeld.has(ref) && !this.arrivals.get(ref),
          )
        : [];
    this.arrivals.settle(this.index, nowMs);
    if (arrived.length > 0) this.options.onArrival?.(arrived);
    return indexed.length;
  }

  /**
   * The held entities whose etag the catalog no longer lists (`stale`: changed, new, or without
   * an etag), read by ref, and those it no longer lists at all (`gone`); undefined when a full
   * read is due.
   */
  private async readChanges(
    credentials: BackstageCredentials,
  ): Promise<SnapshotChanges | undefined> {
    const listed = new Set<string>();
    const stale: string[] = [];
    for await (const page of this.options.catalog.streamEntities(
      { pageSize: 1000, fields: LISTING_FIELDS },
      { credentials },
    )) {
      for (const entity of page) {
        const ref = entityRefOf(entity);
        if (listed.has(ref)) return undefined;
        listed.add(ref);
        const etag = entity.metadata.etag;
        if (!etag || this.held.get(ref)?.etag !== etag) stale.push(ref);
      }
    }
    if (stale.length > listed.size * MOST_READ_BY_REF) return undefined;
    const gone = [...this.held.keys()].filter(ref => !listed.has(ref));
    const read = await this.readByRefs(stale, credentials);
    return { stale, gone, read };
  }

  /** The whole catalog, as the engine reads it. */
  private async readAll(credentials: BackstageCredentials): Promise<Entity[]> {
    const entities: Entity[] = [];
    for await (const page of this.options.catalog.streamEntities(
      { pageSize: 500, fields: ENTITY_FIELDS },
      { credentials },
    )) {
      for (const entity of page) {
        const { relations: _relations, ...rest } = entity;
        entities.push(rest);
      }
    }
    return entities;
  }

  /** The entities of `refs`, in order; undefined for one the catalog no longer holds. */
  private async readByRefs(
    refs: readonly string[],
    credentials: BackstageCredentials,
  ): Promise<(Entity | undefined)[]> {
    const entities: (Entity | undefined)[] = [];
    for (let at = 0; at < refs.length; at += BY_REFS_BATCH) {
      const batch = refs.slice(at, at + BY_REFS_BATCH);
      const { items } = await this.options.catalog.getEntitiesByRefs(
        { entityRefs: batch, fields: ENTITY_FIELDS },
        { credentials },
      );
      // Matched by position, as the API promises; an answer that breaks the promise would
      // file entities under the wrong refs, so it fails the read (a full read follows).
      if (items.length !== batch.length) {
        throw new Error(
          `the catalog answered ${items.length} entities for ${batch.length} refs`,
        );
      }
      items.forEach((entity, i) => {
        if (!entity) {
          entities.push(undefined);
          return;
        }
        if (entityRefOf(entity) !== batch[i]) {
          throw new Error(
            `the catalog answered ${entityRefOf(entity)} for ${batch[i]}`,
          );
        }
        const { relations: _relations, ...rest } = entity;
        entities.push(rest);
      });
    }
    return entities;
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
  previousHeld: Map<string, HeldEntity>,
  next: CatalogIndex,
  held: Map<string, HeldEntity>,
): CatalogRead[] {
  const changed = new Set<CatalogRead>();
  const add = (entity: Entity | undefined) => {
    if (entity) for (const read of catalogReadsOf(entity)) changed.add(read);
  };
  for (const [ref, { digest }] of held) {
    if (previousHeld.get(ref)?.digest === digest) continue;
    add(previous.get(ref));
    add(next.get(ref));
  }
  for (const ref of previousHeld.keys()) {
    if (!held.has(ref)) add(previous.get(ref));
  }
  return [...changed];
}

function inRefOrder(indexed: RefEntity[]): Entity[] {
  return [...indexed]
    .sort((a, b) => compareRefs(a.ref, b.ref))
    .map(({ entity }) => entity);
}

function compareRefs(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** An entity as a refresh holds it: its content digest (`contentLineOf`) and its etag. */
function holdEntity(entity: Entity): HeldEntity {
  return {
    entity,
    digest: createHash('sha1').update(contentLineOf(entity)).digest('base64'),
    etag: entity.metadata.etag,
  };
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
