import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import type { ObservedEdge } from '@internal/plugin-evidence-common';
import type { EvidenceService } from '@internal/plugin-evidence-node';
import { FailureLog } from '@internal/suite-node';
import {
  AliasConflict,
  AliasMap,
  buildAliasMap,
  buildGraphIndex,
  CLAIM_ANNOTATIONS,
  GraphIndex,
  GraphIndexOptions,
  entityRefOf,
  OPS_ANNOTATION_PREFIX,
} from '@internal/plugin-incident-brief-common';

/** Catalog kinds that are nodes of the dependency graph (IB §2.4). */
const GRAPH_KINDS = ['component', 'resource', 'api', 'system'];
const SCAN_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.etag',
  // aliases come from annotations; scanning them keeps the alias map current between full syncs
  'metadata.annotations',
];
const MAX_FEED_PAGES = 1000;

/** The annotations that claim names in the alias map (`buildAliasMap`). */
const ALIAS_ANNOTATIONS = [
  `${OPS_ANNOTATION_PREFIX}aliases`,
  ...CLAIM_ANNOTATIONS,
];

/** What the alias map depends on: each graph entity's ref and claiming annotations. */
function aliasSignatureOf(entities: Entity[]): string {
  return entities
    .map(
      e =>
        `${entityRefOf(e)}=${ALIAS_ANNOTATIONS.map(
          key => e.metadata.annotations?.[key] ?? '',
        ).join('|')}`,
    )
    .sort()
    .join('\n');
}

/** The names entities claim as aliases: explicit alias annotations and entity names (IB §2.1). */
function claimedNamesOf(entities: Entity[]): Set<string> {
  const names = new Set<string>();
  for (const e of entities) {
    names.add(e.metadata.name);
    const aliases = e.metadata.annotations?.[`${OPS_ANNOTATION_PREFIX}aliases`];
    for (const alias of aliases?.split(',') ?? []) {
      if (alias.trim()) names.add(alias.trim());
    }
    for (const key of CLAIM_ANNOTATIONS) {
      const name = e.metadata.annotations?.[key]?.trim();
      if (name) names.add(name);
    }
  }
  return names;
}

/**
 * Whether telemetry names map so differently under `after` that the observed-edge state built
 * under `before` cannot be brought up to date by re-applying the edge feed, which only adds
 * (`GraphIndex.addObservedEdges`): a name that named an entity still in the catalog now names
 * another one or none (moved, or void by a second claim, R14) — edges mapped through it would
 * stay — or a name noted as unmapped telemetry now names an entity or is void — the note would
 * stay. A name that starts to name an entity no sighting was noted under only adds. A name whose
 * entity left the catalog is not counted here: `incrementalSync` rebuilds when an entity with
 * observed edges leaves.
 */
function remapsObservedEdges(
  before: AliasMap,
  after: AliasMap,
  claimedBefore: Iterable<string>,
  present: (ref: string) => boolean,
  unmappedNames: Iterable<string>,
): boolean {
  for (const name of claimedBefore) {
    const ref = before.resolve(name);
    if (ref !== null && present(ref) && after.resolve(name) !== ref) {
      return true;
    }
  }
  const voided = new Set(after.conflicts.map(c => c.alias));
  for (const name of unmappedNames) {
    if (after.resolve(name) !== null || voided.has(name.toLowerCase())) {
      return true;
    }
  }
  return false;
}

/** Every telemetry name an index notes as unmapped next to some node (R16). */
function* unmappedNamesOf(index: GraphIndex): Iterable<string> {
  for (let id = 0; id < index.nodeCount; id++) {
    for (const u of index.unmappedOf(id)) yield u.name;
  }
}

/** Dependencies of the store; `now` is injectable for tests. */
export interface GraphIndexStoreOptions {
  catalog: CatalogService;
  auth: AuthService;
  evidence: EvidenceService;
  logger: LoggerService;
  graph: GraphIndexOptions;
  fullSyncIntervalMs: number;
  pageSize?: number;
  now?: () => number;
}

/**
 * Holds the in-memory graph index and keeps it current (IB §3.4):
 *
 * - **full sync** (at start-up, then every `fullSyncIntervalMs`, and when the evidence edge feed
 *   resets): paged catalog read of the graph kinds plus the whole observed-edge feed, built into a
 *   fresh index that is swapped in atomically; also compacts incremental edits and applies alias
 *   changes.
 * - **incremental pass** (every refresh interval, 60 s): the edge feed from the last cursor is
 *   merged with `addObservedEdges`; the catalog is scanned in pages for `kind, name, etag` and
 *   annotations (aliases) only and just the entities whose etag changed are fetched in full and
 *   upserted (`upsertEntity`), refs gone from the scan are removed (`removeEntity`). The catalog
 *   API has no "changed since" filter, and `metadata.etag` changes whenever the stitched entity
 *   (relations included) changes, so an etag scan finds every edit at a small, fixed cost per
 *   entity without holding entity JSON.
 *   When the scan shows aliases that map differently (R14: an alias moved to another entity, void
 *   by a second claim, or now naming an entity where telemetry was unmapped), the pass is a full
 *   sync instead: observed edges can only be added to a live index, so edges mapped under the old
 *   alias map would otherwise stay until the next scheduled full sync. Aliases that only add a
 *   mapping (a new entity's name) keep the incremental pass, re-applying the whole edge feed.
 *
 * Requests read `current()`; they never wait for a pass except the very first build and the
 * rate-limited on-demand pass of an unknown ref or alias (`currentFor`, `lookupAlias`).
 */
/** Least time between two on-demand passes triggered by refs the index does not know. */
const ON_DEMAND_MIN_INTERVAL_MS = 5_000;

export class GraphIndexStore {
  private index: GraphIndex | undefined;
  private aliases: AliasMap | undefined;
  private etags = new Map<string, string | undefined>();
  private edgeCursor: string | undefined;
  /** The edge feed is to be read from its start (the alias map changed since the last read). */
  private replayFeed = false;
  private lastFullSyncAt = 0;
  private firstBuild: Promise<GraphIndex> | undefined;
  private running: Promise<void> | undefined;
  private lastOnDemandAt = -Infinity;
  private aliasSignature = '';
  /** the names claimed as aliases when `aliases` was built */
  private claimedNames = new Set<string>();
  /** the last full sync could not read the edge feed and kept the observations it had */
  private observationsCarried = false;

  /** The index refreshes every minute: an evidence outage is logged as it starts, not each time. */
  private readonly edgeFailures: FailureLog;

  constructor(private readonly options: GraphIndexStoreOptions) {
    this.edgeFailures = new FailureLog(options.logger, { clock: options.now });
  }

  /** The current index; the first call waits for the initial build (and retries a failed one). */
  async current(): Promise<GraphIndex> {
    if (this.index) return this.index;
    if (!this.firstBuild) {
      this.firstBuild = this.exclusive(async () => {
        if (!this.index) await this.fullSync();
      })
        .then(() => this.index!)
        .finally(() => {
          this.firstBuild = undefined;
        });
    }
    return this.firstBuild;
  }

  /**
   * The current index, first brought up to date by an incremental pass when it does not know
   * `ref` yet — an entity registered since the last pass (or a portal that has just started
   * while the catalog was still loading) must not answer 404 until the next scheduled pass.
   * Misses trigger at most one pass per `ON_DEMAND_MIN_INTERVAL_MS`, so unknown refs cannot
   * turn requests into catalog scans. (A pass that finds aliases remapped is a full sync, see
   * the class comment: rare, and then this request waits for it.)
   */
  async currentFor(ref: string): Promise<GraphIndex> {
    const index = await this.current();
    const id = index.idOf(ref.toLocaleLowerCase('en-US'));
    if (id >= 0 && index.inCatalog(id)) return index;
    if (this.now() - this.lastOnDemandAt < ON_DEMAND_MIN_INTERVAL_MS) {
      return index;
    }
    this.lastOnDemandAt = this.now();
    await this.exclusive(() => this.incrementalSync());
    return this.index ?? index;
  }

  /**
   * Refs of the catalog entities in the index (Component, Resource, API, System): the entities a
   * ledger change can be scored for. Waits for the first build like {@link current}.
   */
  async catalogRefs(): Promise<string[]> {
    await this.current();
    return [...this.etags.keys()];
  }

  /** Resolves a telemetry alias through the current alias map (rebuilt when aliases change). */
  resolveAlias(alias: string): string | null {
    return this.aliases?.resolve(alias) ?? null;
  }

  /**
   * A resolver over the alias map of this moment, kept when a pass swaps in another: what reads a
   * record's subject twice — once to select it, once to decide who may see it — must get the same
   * answer both times (an alias map is never changed in place, only replaced).
   */
  aliasSnapshot(): (alias: string) => string | null {
    const aliases = this.aliases;
    return alias => aliases?.resolve(alias) ?? null;
  }

  /**
   * Looks an alias up for a request (`GET /by-alias/:alias/…`): waits for the first build, and
   * when the alias is unknown (not void) runs the same rate-limited incremental pass as an unknown
   * ref, so an alias registered since the last pass resolves at once. A void alias (claimed by
   * several entities, R14) resolves to no ref and names its claimants.
   */
  async lookupAlias(
    alias: string,
  ): Promise<{ ref: string | null; conflict?: AliasConflict }> {
    await this.current();
    const conflictOf = () => {
      const key = alias.trim().toLocaleLowerCase('en-US');
      return this.aliases?.conflicts.find(c => c.alias === key);
    };
    let ref = this.resolveAlias(alias);
    if (
      !ref &&
      !conflictOf() &&
      this.now() - this.lastOnDemandAt >= ON_DEMAND_MIN_INTERVAL_MS
    ) {
      this.lastOnDemandAt = this.now();
      await this.exclusive(() => this.incrementalSync());
      ref = this.resolveAlias(alias);
    }
    const conflict = ref ? undefined : conflictOf();
    return { ref, ...(conflict ? { conflict } : {}) };
  }

  /** The scheduled pass: a full sync when due, an incremental pass otherwise. */
  async refresh(): Promise<void> {
    await this.exclusive(async () => {
      const due =
        !this.index ||
        this.now() - this.lastFullSyncAt >= this.options.fullSyncIntervalMs;
      if (due) await this.fullSync();
      else await this.incrementalSync();
    });
  }

  /**
   * Rebuilds the whole index from a paged catalog read and the full edge feed, then swaps it in.
   * When the feed cannot be read, the observations of the index being replaced are carried into
   * the new one (R17: declared edges keep answering, observed edges keep their last known state
   * and age by their own lastSeen), and the next pass that reads the feed rebuilds again, so that
   * sightings carried under an alias map that changed since do not outlive the outage.
   */
  async fullSync(): Promise<void> {
    const started = this.now();
    const entities = await this.readAllEntities();
    const feed = await this.readEdgeFeed(undefined);
    const asOfCatalog = new Date(started).toISOString();
    const edges = feed.status === 'ok' ? feed.edges : [];
    const carried = feed.status === 'ok' ? undefined : this.index;
    const index = buildGraphIndex({
      entities,
      observedEdges: edges,
      // The observed-edge age is the newest sighting in the feed (buildGraphIndex advances it),
      // not the time of this read: with the evidence store up and its collector down, a read
      // succeeds while the observations go stale, and R17 must show that. Carried observations
      // bring their age along.
      asOf: { catalog: asOfCatalog, observedEdges: '' },
      options: this.options.graph,
      carryObservationsFrom: carried,
    });
    this.aliases = buildAliasMap(entities);
    this.aliasSignature = aliasSignatureOf(entities);
    this.claimedNames = claimedNamesOf(entities);
    this.etags = new Map(entities.map(e => [entityRefOf(e), e.metadata.etag]));
    this.edgeCursor = feed.status === 'ok' ? feed.cursor : undefined;
    // read under this map from the start, or (feed down) to be read from the start
    this.replayFeed = false;
    this.observationsCarried = carried !== undefined;
    this.index = index;
    this.lastFullSyncAt = started;
    this.options.logger.info(
      `incident-brief index built: ${index.nodeCount} nodes, ${
        edges.length
      } observed series${
        feed.status === 'ok'
          ? ''
          : ` (evidence unavailable: ${
              carried
                ? `observed edges kept as last read, as of ${
                    index.asOf.observedEdges || 'never'
                  }`
                : 'declared edges only'
            })`
      }`,
    );
  }

  /** Merges new observed edges and changed catalog entities into the live index. */
  async incrementalSync(): Promise<void> {
    const index = this.index;
    if (!index) {
      await this.fullSync();
      return;
    }
    const started = new Date(this.now()).toISOString();

    const scanned = await this.paged(SCAN_FIELDS);
    const scan = new Map(scanned.map(e => [entityRefOf(e), e.metadata.etag]));

    // When entities or their aliases came or went, telemetry names may map differently. If a
    // mapping changed or went away, only a rebuild drops what it mapped (see the class comment);
    // otherwise the new alias map is kept and the whole edge feed (bounded by edge retention) is
    // re-applied below, so edges seen before their entities were registered are mapped now.
    const signature = aliasSignatureOf(scanned);
    const aliasesChanged = signature !== this.aliasSignature;
    if (aliasesChanged) {
      const aliases = buildAliasMap(scanned);
      if (
        !this.aliases ||
        remapsObservedEdges(
          this.aliases,
          aliases,
          this.claimedNames,
          ref => scan.has(ref),
          unmappedNamesOf(index),
        )
      ) {
        await this.fullSync();
        return;
      }
      this.aliases = aliases;
      this.aliasSignature = signature;
      this.claimedNames = claimedNamesOf(scanned);
      // ALIAS_CONFLICT reads the index's list: a new void alias that named nothing before
      index.aliasConflicts = aliases.conflicts;
      // The whole feed is read again under the new map, until one read succeeds: a pass that
      // fails before (the catalog or the evidence store down) leaves it for the next one.
      this.replayFeed = true;
    }
    const changed = [...scan].filter(
      ([ref, etag]) =>
        etag === undefined ||
        !this.etags.has(ref) ||
        this.etags.get(ref) !== etag,
    );
    const removed = [...this.etags.keys()].filter(ref => !scan.has(ref));
    // An entity that leaves takes its declared edges with it, but its observed ones rest on
    // telemetry names the alias map may now give another entity (a rename): only a rebuild
    // maps them as a fresh index would, instead of keeping the old ref as a dependent.
    if (removed.some(ref => index.isObservedEndpoint(ref))) {
      await this.fullSync();
      return;
    }
    for (const entity of await this.fetchEntities(changed.map(([r]) => r))) {
      index.upsertEntity(entity);
      this.etags.set(entityRefOf(entity), entity.metadata.etag);
    }
    for (const ref of removed) {
      index.removeEntity(ref);
      this.etags.delete(ref);
    }
    index.asOf = { ...index.asOf, catalog: started };

    if (this.replayFeed && this.edgeCursor !== undefined) {
      // What was removed since the last read is news even when the feed is replayed: the replay
      // lists every tombstone the store keeps and cannot tell the new ones apart.
      const recent = await this.readEdgeFeed(this.edgeCursor);
      if (
        recent.status === 'reset' ||
        (recent.status === 'ok' && recent.removed)
      ) {
        await this.fullSync();
        return;
      }
    }
    const feed = await this.readEdgeFeed(
      this.replayFeed ? undefined : this.edgeCursor,
    );
    if (feed.status === 'reset') {
      await this.fullSync();
      return;
    }
    if (feed.status === 'ok' && this.observationsCarried) {
      // the feed is back after a rebuild that carried the old observations over: read it whole
      // into a fresh build (the carried sightings may be mapped under an outdated alias map)
      await this.fullSync();
      return;
    }
    // Removals read from a cursor are new; a replay from the start lists every tombstone the
    // store keeps (days of them), which says nothing new.
    if (feed.status === 'ok' && feed.removed && !this.replayFeed) {
      // Edges removed by the evidence store (retention, a demo purge) would keep their last
      // sighting here: fresh ones would stay fresh until the next scheduled rebuild.
      await this.fullSync();
      return;
    }
    if (feed.status === 'ok') {
      if (feed.edges.length > 0 && this.aliases) {
        index.addObservedEdges(feed.edges, this.aliases);
      }
      // addObservedEdges advanced asOf.observedEdges to the newest sighting it read (R17)
      this.edgeCursor = feed.cursor;
      this.replayFeed = false;
    }
  }

  // ---------------------------------------------------------------- reads

  private async readAllEntities(): Promise<Entity[]> {
    return this.paged();
  }

  private async paged(fields?: string[]): Promise<Entity[]> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const limit = this.options.pageSize ?? 500;
    const out: Entity[] = [];
    let page = await this.options.catalog.queryEntities(
      { filter: { kind: GRAPH_KINDS }, limit, ...(fields ? { fields } : {}) },
      { credentials },
    );
    out.push(...page.items);
    while (page.pageInfo.nextCursor) {
      page = await this.options.catalog.queryEntities(
        {
          cursor: page.pageInfo.nextCursor,
          limit,
          ...(fields ? { fields } : {}),
        },
        { credentials },
      );
      out.push(...page.items);
    }
    return out;
  }

  private async fetchEntities(refs: string[]): Promise<Entity[]> {
    if (refs.length === 0) return [];
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const out: Entity[] = [];
    for (let i = 0; i < refs.length; i += 200) {
      const { items } = await this.options.catalog.getEntitiesByRefs(
        { entityRefs: refs.slice(i, i + 200) },
        { credentials },
      );
      out.push(...items.filter((e): e is Entity => Boolean(e)));
    }
    return out;
  }

  /** Follows the evidence edge feed from `cursor` to its end. Never rejects. */
  private async readEdgeFeed(cursor: string | undefined): Promise<
    | {
        status: 'ok';
        edges: ObservedEdge[];
        cursor: string | undefined;
        /** Some page removed edges. */
        removed: boolean;
      }
    | { status: 'reset' }
    | { status: 'unavailable' }
  > {
    const edges: ObservedEdge[] = [];
    let removed = false;
    let current = cursor;
    for (let page = 0; page < MAX_FEED_PAGES; page++) {
      const read = await this.options.evidence.edgeChanges(current);
      if (!read.available) {
        this.edgeFailures.failed(
          'edges',
          `observed edges not refreshed: evidence ${read.cause} since ${read.since}`,
        );
        return { status: 'unavailable' };
      }
      this.edgeFailures.recovered('edges', 'observed edges refreshed again');
      if (read.data.reset) return { status: 'reset' };
      edges.push(...read.data.edges);
      if (read.data.removed.length > 0) removed = true;
      const advanced = read.data.cursor !== current;
      current = read.data.cursor;
      // Not on an empty page: after a retention delete a page may hold removals only, with
      // the live edges on the pages after it (a full sync that stopped there had none).
      if (!advanced || !read.data.hasMore) break;
    }
    return { status: 'ok', edges, cursor: current, removed };
  }

  /** Runs one pass at a time (scheduled refresh and the first request's build never overlap). */
  private async exclusive(fn: () => Promise<void>): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
    const run = fn();
    this.running = run;
    try {
      await run;
    } finally {
      this.running = undefined;
    }
  }

  private now() {
    return this.options.now?.() ?? Date.now();
  }
}
