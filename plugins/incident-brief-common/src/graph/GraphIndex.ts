import { compareStrings } from '../refs/compareStrings';
import { Entity } from '@backstage/catalog-model';
import {
  lowerCaseEn,
  normalizeRef,
  refKind,
  refName,
} from '../refs/entityRefs';
import { AliasMap } from './buildAliasMap';
import { collectDeclaredFacts } from './collectDeclaredFacts';
import { normalizeObservedEdge } from './normalizeObservedEdge';
import { isGraphNodeKind, readGraphNode } from './readGraphNode';
import {
  AliasConflict,
  DEFAULT_GRAPH_OPTIONS,
  EdgeDrift,
  EdgeEvidence,
  EdgeInteraction,
  EdgeObservation,
  GraphIndexOptions,
  GraphNode,
  GraphNodeSummary,
  GraphNodeKind,
  LogicalEdge,
  ObservedEdgeRecord,
  UnmappedTelemetry,
} from './types';

const EDGE_OBS_SYNC = 1;
const EDGE_OBS_ASYNC = 2;
const EDGE_DEAD = 4;

const NODE_IN_CATALOG = 1;
const NODE_ASYNC_RESOURCE = 2;
const NODE_EXPLICIT_ALIAS = 4;
const NODE_RESOURCE = 8;
const NODE_API = 16;
/** false for refs named by a relation but absent from the catalog, and APIs without provider */
const NODE_RESOLVED = 32;

/** `customerFacing` as stored: 0 = unknown, 1 = false, 2 = true */
const CUSTOMER_FACING_CODE = { null: 0, false: 1, true: 2 } as const;

const NO_TIME = Number.NaN;
const NONE = -1;

const KINDS: GraphNodeKind[] = ['component', 'resource', 'api', 'system'];
const KIND_CODE: Record<GraphNodeKind, number> = {
  component: 0,
  resource: 1,
  api: 2,
  system: 3,
};

function growInt32(a: Int32Array, min: number, fill = 0): Int32Array {
  if (a.length >= min) return a;
  const b = new Int32Array(Math.max(min, a.length * 2, 16));
  if (fill !== 0) b.fill(fill, a.length);
  b.set(a);
  return b;
}
function growFloat64(a: Float64Array, min: number): Float64Array {
  if (a.length >= min) return a;
  const b = new Float64Array(Math.max(min, a.length * 2, 16)).fill(NO_TIME);
  b.set(a);
  return b;
}
function growUint8(a: Uint8Array, min: number): Uint8Array {
  if (a.length >= min) return a;
  const b = new Uint8Array(Math.max(min, a.length * 2, 16));
  b.set(a);
  return b;
}

/**
 * Interned strings (owners, systems, lifecycles, resource types, edge reasons): thousands of
 * entities share a few hundred owners, so each node holds a 4-byte id instead of a string.
 */
class StringTable {
  private readonly ids = new Map<string, number>();
  private readonly values: string[] = [];

  /** The id of `value` (added when new); -1 for null/undefined. */
  intern(value: string | null | undefined): number {
    if (value === null || value === undefined) return NONE;
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }

  /** The id of `value` if it was ever interned, else -1 (never adds). */
  find(value: string): number {
    return this.ids.get(value) ?? NONE;
  }

  get(id: number): string | null {
    return id === NONE ? null : this.values[id];
  }
}

/**
 * List fields of a node are held as strings, and only when non-empty. Their items come from
 * comma-list annotations (split on commas, trimmed, non-empty), so no item contains a comma and a
 * list round-trips as a comma-joined string. Entry points, regions and data domains (read by every
 * blast radius) share one JSON string; aliases (on most entities, read only by node records) are
 * one plain string, so an entity with aliases alone costs no JSON parse per search.
 */
function encodeList(list: string[]): string | undefined {
  return list.length > 0 ? list.join(',') : undefined;
}
function decodeList(encoded: string | undefined): string[] {
  return encoded === undefined ? [] : encoded.split(',');
}
function encodeLists(lists: string[][]): string | undefined {
  return lists.some(l => l.length > 0)
    ? JSON.stringify(lists.map(l => l.join(',')))
    : undefined;
}
function decodeLists(encoded: string | undefined): string[][] {
  if (encoded === undefined) return [[], [], []];
  return (JSON.parse(encoded) as string[]).map(l =>
    l === '' ? [] : l.split(','),
  );
}

/** Reusable per-search buffers; generation stamps replace clearing (§3.4). */
export interface SearchScratch {
  generation: number;
  visit: Int32Array;
  hop: Int32Array;
  parent: Int32Array;
  parentEdge: Int32Array;
  queue: Int32Array;
  edgeSeen: Int32Array;
  aux: Int32Array;
  auxQueue: Int32Array;
}

/**
 * The in-memory dependency graph: interned integer ids, CSR adjacency in both directions
 * sorted by neighbour ref, edge attributes in parallel typed arrays, and a small per-node
 * overflow list for incremental edits that `compact()` folds back into the CSR.
 *
 * Storage is columnar (§3.4 memory target): a node is its ref plus typed-array columns (kind,
 * tier, customer-facing, flags, interned owner/system/lifecycle/resource type ids, last seen),
 * its title and, only when present, its list fields as strings; {@link GraphIndex.node}
 * materializes the {@link GraphNode} record on demand. Declared reasons of an edge are an
 * interned reason id with a contribution count (further reasons of the same edge, rare, in a side
 * map); who contributed what is kept per contributor as (edge, reason) pairs in one packed
 * `Int32Array`, so that re-reading an entity replaces exactly its own contributions.
 *
 * Observation, presence and drift are evaluated against the `now` of each read, so an index
 * whose evidence source stopped reporting ages correctly without being rebuilt (R17).
 */
export class GraphIndex {
  readonly options: Required<GraphIndexOptions>;
  asOf: { catalog: string; observedEdges: string };
  aliasConflicts: AliasConflict[] = [];

  // ---------------------------------------------------------------- nodes (columns)
  private readonly refs: string[] = [];
  private readonly titles: string[] = [];
  private readonly idByRef = new Map<string, number>();
  private readonly strings = new StringTable();
  private nodeCapacity = 0;
  private nodeKind: Uint8Array = new Uint8Array(0);
  /** 0 = unknown, else 1 | 2 | 3 */
  private nodeTier: Uint8Array = new Uint8Array(0);
  /** 0 = unknown, 1 = false, 2 = true */
  private nodeCustomerFacing: Uint8Array = new Uint8Array(0);
  /** interned string ids, -1 = null / absent */
  private nodeOwner: Int32Array = new Int32Array(0);
  private nodeSystem: Int32Array = new Int32Array(0);
  private nodeLifecycle: Int32Array = new Int32Array(0);
  private nodeResourceType: Int32Array = new Int32Array(0);
  /** {@link encodeLists} of entry points, regions, data domains; undefined = all empty */
  private nodeLists: (string | undefined)[] = [];
  /** {@link encodeList} of the aliases; undefined = none */
  private nodeAliases: (string | undefined)[] = [];
  /** @internal */ nodeFlags: Uint8Array = new Uint8Array(0);
  /** @internal */ nodeLastSeen: Float64Array = new Float64Array(0);

  // ---------------------------------------------------------------- edges
  /** @internal */ edgeCount = 0;
  /** @internal */ edgeFrom: Int32Array = new Int32Array(16);
  /** @internal */ edgeTo: Int32Array = new Int32Array(16);
  /** @internal */ edgeFlags: Uint8Array = new Uint8Array(16);
  /** @internal */ edgeLastSeen: Float64Array = new Float64Array(16).fill(
    NO_TIME,
  );
  /** a declared reason of the edge (interned id), -1 when no relation declares it */
  private edgeReason: Int32Array = new Int32Array(16);
  /** number of (contributor, reason) contributions behind `edgeReason` */
  private edgeReasonCount: Int32Array = new Int32Array(16);
  /** further declared reasons of an edge → contribution count (an edge with several reasons, R23) */
  private moreReasons = new Map<number, Map<number, number>>();

  /** @internal */ csrNodes = 0;
  /** @internal */ fwdOffsets: Int32Array = new Int32Array(1);
  /** @internal */ fwdNeighbours: Int32Array = new Int32Array(0);
  /** @internal */ fwdEdges: Int32Array = new Int32Array(0);
  /** @internal */ revOffsets: Int32Array = new Int32Array(1);
  /** @internal */ revNeighbours: Int32Array = new Int32Array(0);
  /** @internal */ revEdges: Int32Array = new Int32Array(0);
  /** flat `[neighbour, edge, …]` pairs added since the last compaction, sorted by neighbour ref */
  /** @internal */ fwdOverflow: (number[] | undefined)[] = [];
  /** @internal */ revOverflow: (number[] | undefined)[] = [];

  /** @internal set by a full build: overflow lists stay unsorted until `compact()` */
  bulkLoading = false;

  // ---------------------------------------------------------------- contributions
  /** each contributor's (edge, reason id) pairs are one contiguous run of `contribData` */
  private contribStart: Int32Array = new Int32Array(0);
  private contribLength: Int32Array = new Int32Array(0);
  private contribData: Int32Array = new Int32Array(64);
  private contribEnd = 0;

  private apiConsumers = new Map<number, Set<number>>();
  private apiProviders = new Map<number, Set<number>>();
  private apisOf = new Map<
    number,
    { consumes: number[]; provides: number[] }
  >();
  private systemMembers = new Map<number, Set<number>>();
  private unmapped = new Map<number, UnmappedTelemetry[]>();

  /** @internal */ scratch: SearchScratch = {
    generation: 0,
    visit: new Int32Array(0),
    hop: new Int32Array(0),
    parent: new Int32Array(0),
    parentEdge: new Int32Array(0),
    queue: new Int32Array(0),
    edgeSeen: new Int32Array(0),
    aux: new Int32Array(0),
    auxQueue: new Int32Array(0),
  };

  constructor(
    options: GraphIndexOptions = {},
    asOf = { catalog: '', observedEdges: '' },
  ) {
    this.options = { ...DEFAULT_GRAPH_OPTIONS, ...options };
    this.asOf = asOf;
  }

  /** Number of interned nodes (catalog entities and unresolved refs). */
  get nodeCount(): number {
    return this.refs.length;
  }

  /** Interned id of a ref, or -1. */
  idOf(ref: string): number {
    return this.idByRef.get(ref) ?? -1;
  }

  /** The ref of a node id. */
  refOf(id: number): string {
    return this.refs[id];
  }

  /** The title of a node (`metadata.title`, else its name). */
  titleOf(id: number): string {
    return this.titles[id];
  }

  /** True when the node is a catalog entity (not only a ref named by a relation). */
  inCatalog(id: number): boolean {
    return (this.nodeFlags[id] & NODE_IN_CATALOG) !== 0;
  }

  /** True for API nodes. */
  isApi(id: number): boolean {
    return (this.nodeFlags[id] & NODE_API) !== 0;
  }

  /** False for refs absent from the catalog and for APIs without a provider (R4, R21). */
  isResolved(id: number): boolean {
    return (this.nodeFlags[id] & NODE_RESOLVED) !== 0;
  }

  /**
   * The fields a search sorts, counts and lists a node by. A blast radius reads these for every
   * entity it reaches and the full record (`node`) for none: decoding each node's lists was a
   * third of the search for the radius of a shared service (docs/benchmarks.md, "Run 9").
   */
  summary(id: number): GraphNodeSummary {
    const tier = this.nodeTier[id];
    const customerFacing = this.nodeCustomerFacing[id];
    return {
      ref: this.refs[id],
      kind: KINDS[this.nodeKind[id]],
      title: this.titles[id],
      owner: this.strings.get(this.nodeOwner[id]),
      system: this.strings.get(this.nodeSystem[id]),
      lifecycle: this.strings.get(this.nodeLifecycle[id]),
      tier: tier === 0 ? null : (tier as 1 | 2 | 3),
      customerFacing: customerFacing === 0 ? null : customerFacing === 2,
      resolved: this.isResolved(id),
    };
  }

  /** `[entryPoints, regions, dataDomains]` of a node; `undefined` when all three are empty. */
  listsOf(id: number): string[][] | undefined {
    const encoded = this.nodeLists[id];
    return encoded === undefined ? undefined : decodeLists(encoded);
  }

  /** The node record, with telemetry presence evaluated at `nowMs`. */
  node(id: number, nowMs: number): GraphNode {
    const [entryPoints, regions, dataDomains] = this.listsOf(id) ?? [
      [],
      [],
      [],
    ];
    const resourceType = this.nodeResourceType[id];
    return {
      ...this.summary(id),
      entryPoints,
      regions,
      dataDomains,
      aliases: decodeList(this.nodeAliases[id]),
      ...(resourceType !== NONE
        ? { resourceType: this.strings.get(resourceType)! }
        : {}),
      telemetryPresence: this.hasPresence(id, nowMs),
      id,
    };
  }

  /** Member ids of a System, sorted by ref. */
  membersOf(systemId: number): number[] {
    const set = this.systemMembers.get(systemId);
    return set ? this.sortByRef([...set]) : [];
  }

  /** Catalog entities providing an API, sorted by ref. */
  providersOf(apiId: number): number[] {
    const set = this.apiProviders.get(apiId);
    return set ? this.sortByRef([...set].filter(p => this.inCatalog(p))) : [];
  }

  /** Consumers of an API, sorted by ref, each with the logical edge that carries it (-1: none). */
  consumersOf(apiId: number): { node: number; edge: number }[] {
    const consumers = this.sortByRef([...(this.apiConsumers.get(apiId) ?? [])]);
    const reason = this.strings.find(`consumesApi:${this.refs[apiId]}`);
    const providers = this.sortByRef([...(this.apiProviders.get(apiId) ?? [])]);
    return consumers.map(c => {
      const target = providers.find(p => p !== c);
      const edge =
        target === undefined
          ? this.findEdge(c, apiId)
          : this.findEdge(c, target);
      return {
        node: c,
        edge: edge >= 0 && this.hasReason(edge, reason) ? edge : -1,
      };
    });
  }

  /** Unmapped telemetry names seen next to a node (R16). */
  unmappedOf(id: number): UnmappedTelemetry[] {
    return this.unmapped.get(id) ?? [];
  }

  /** Sorts node ids by ref (ties impossible: refs are unique). */
  sortByRef(ids: number[]): number[] {
    return ids.sort((a, b) => this.compareRefs(a, b));
  }

  /** Compares two node ids by ref. */
  compareRefs(a: number, b: number): number {
    return compareStrings(this.refs[a], this.refs[b]);
  }

  // ---------------------------------------------------------------- mutation

  private growNodes(min: number) {
    if (this.nodeCapacity >= min) return;
    const size = Math.max(min, this.nodeCapacity * 2, 16);
    this.nodeKind = growUint8(this.nodeKind, size);
    this.nodeTier = growUint8(this.nodeTier, size);
    this.nodeCustomerFacing = growUint8(this.nodeCustomerFacing, size);
    this.nodeFlags = growUint8(this.nodeFlags, size);
    this.nodeOwner = growInt32(this.nodeOwner, size, NONE);
    this.nodeSystem = growInt32(this.nodeSystem, size, NONE);
    this.nodeLifecycle = growInt32(this.nodeLifecycle, size, NONE);
    this.nodeResourceType = growInt32(this.nodeResourceType, size, NONE);
    this.nodeLastSeen = growFloat64(this.nodeLastSeen, size);
    this.contribStart = growInt32(this.contribStart, size);
    this.contribLength = growInt32(this.contribLength, size);
    this.nodeCapacity = size;
  }

  /** Resets a node to the placeholder of a ref named by a relation but absent from the catalog. */
  private setUnresolved(id: number, ref: string) {
    const kind = refKind(ref);
    this.nodeKind[id] =
      KIND_CODE[kind && isGraphNodeKind(kind) ? kind : 'component'];
    this.titles[id] = refName(ref);
    this.nodeOwner[id] = NONE;
    this.nodeSystem[id] = NONE;
    this.nodeLifecycle[id] = NONE;
    this.nodeResourceType[id] = NONE;
    this.nodeTier[id] = 0;
    this.nodeCustomerFacing[id] = 0;
    this.nodeLists[id] = undefined;
    this.nodeAliases[id] = undefined;
    this.nodeFlags[id] = 0;
  }

  private ensureNode(ref: string): number {
    const existing = this.idByRef.get(ref);
    if (existing !== undefined) return existing;
    const id = this.refs.length;
    this.growNodes(id + 1);
    this.refs.push(ref);
    this.titles.push('');
    this.nodeLists.push(undefined);
    this.nodeAliases.push(undefined);
    this.idByRef.set(ref, id);
    this.setUnresolved(id, ref);
    this.nodeLastSeen[id] = NO_TIME;
    return id;
  }

  /** Finds the logical edge `from → to`, live or dead, or -1. */
  findEdge(from: number, to: number): number {
    if (from < this.csrNodes) {
      for (let i = this.fwdOffsets[from]; i < this.fwdOffsets[from + 1]; i++) {
        if (this.fwdNeighbours[i] === to) return this.fwdEdges[i];
      }
    }
    const extra = this.fwdOverflow[from];
    if (extra) {
      for (let i = 0; i < extra.length; i += 2) {
        if (extra[i] === to) return extra[i + 1];
      }
    }
    return -1;
  }

  private insertSorted(list: number[], neighbour: number, edge: number) {
    let i = 0;
    while (i < list.length && this.compareRefs(list[i], neighbour) < 0) i += 2;
    list.splice(i, 0, neighbour, edge);
  }

  private findOrCreateEdge(from: number, to: number): number {
    const found = this.findEdge(from, to);
    if (found >= 0) {
      this.edgeFlags[found] &= ~EDGE_DEAD;
      return found;
    }
    const e = this.edgeCount++;
    this.edgeFrom = growInt32(this.edgeFrom, e + 1);
    this.edgeTo = growInt32(this.edgeTo, e + 1);
    this.edgeFlags = growUint8(this.edgeFlags, e + 1);
    this.edgeLastSeen = growFloat64(this.edgeLastSeen, e + 1);
    this.edgeReason = growInt32(this.edgeReason, e + 1);
    this.edgeReasonCount = growInt32(this.edgeReasonCount, e + 1);
    this.edgeFrom[e] = from;
    this.edgeTo[e] = to;
    this.edgeFlags[e] = 0;
    this.edgeLastSeen[e] = NO_TIME;
    this.edgeReason[e] = NONE;
    this.edgeReasonCount[e] = 0;
    if (this.bulkLoading) {
      // a full build compacts at the end, which sorts; no need to keep overflow ordered now
      (this.fwdOverflow[from] ??= []).push(to, e);
      (this.revOverflow[to] ??= []).push(from, e);
    } else {
      this.insertSorted((this.fwdOverflow[from] ??= []), to, e);
      this.insertSorted((this.revOverflow[to] ??= []), from, e);
    }
    return e;
  }

  // ---------------------------------------------------------------- declared reasons

  private hasReason(e: number, reason: number): boolean {
    if (reason === NONE) return false;
    return (
      this.edgeReason[e] === reason ||
      (this.moreReasons.get(e)?.has(reason) ?? false)
    );
  }

  private addReason(e: number, reason: number) {
    if (this.edgeReason[e] === reason) {
      this.edgeReasonCount[e]++;
    } else if (this.edgeReason[e] === NONE) {
      // NONE only when the edge has no declared reason at all
      this.edgeReason[e] = reason;
      this.edgeReasonCount[e] = 1;
    } else {
      let more = this.moreReasons.get(e);
      if (!more) this.moreReasons.set(e, (more = new Map()));
      more.set(reason, (more.get(reason) ?? 0) + 1);
    }
  }

  private removeReason(e: number, reason: number) {
    const more = this.moreReasons.get(e);
    if (this.edgeReason[e] === reason) {
      if (--this.edgeReasonCount[e] > 0) return;
      const next = more?.entries().next();
      if (more && next && !next.done) {
        // promote another reason so that NONE keeps meaning "not declared"
        const [other, count] = next.value;
        more.delete(other);
        if (more.size === 0) this.moreReasons.delete(e);
        this.edgeReason[e] = other;
        this.edgeReasonCount[e] = count;
      } else {
        this.edgeReason[e] = NONE;
        this.edgeReasonCount[e] = 0;
      }
      return;
    }
    const count = more?.get(reason);
    if (!more || count === undefined) return;
    if (count > 1) more.set(reason, count - 1);
    else {
      more.delete(reason);
      if (more.size === 0) this.moreReasons.delete(e);
    }
  }

  // ---------------------------------------------------------------- contributions

  private appendContribution(contributor: number, e: number, reason: number) {
    let start = this.contribStart[contributor];
    const length = this.contribLength[contributor];
    if (length === 0) {
      start = this.contribEnd;
    } else if (start + 2 * length !== this.contribEnd) {
      // not the last run: move it to the end (the old run is garbage until `compact()`)
      this.contribData = growInt32(
        this.contribData,
        this.contribEnd + 2 * length + 2,
      );
      this.contribData.copyWithin(this.contribEnd, start, start + 2 * length);
      start = this.contribEnd;
      this.contribEnd += 2 * length;
    }
    this.contribData = growInt32(this.contribData, this.contribEnd + 2);
    this.contribData[this.contribEnd++] = e;
    this.contribData[this.contribEnd++] = reason;
    this.contribStart[contributor] = start;
    this.contribLength[contributor] = length + 1;
  }

  private addContribution(
    from: number,
    to: number,
    reason: string,
    contributor: number,
  ) {
    if (from === to) return;
    const e = this.findOrCreateEdge(from, to);
    const r = this.strings.intern(reason);
    this.addReason(e, r);
    this.appendContribution(contributor, e, r);
  }

  private removeContributionsOf(contributor: number) {
    const start = this.contribStart[contributor];
    const end = start + 2 * this.contribLength[contributor];
    for (let i = start; i < end; i += 2) {
      const edge = this.contribData[i];
      this.removeReason(edge, this.contribData[i + 1]);
      if (
        this.edgeReason[edge] === NONE &&
        Number.isNaN(this.edgeLastSeen[edge])
      ) {
        this.edgeFlags[edge] |= EDGE_DEAD;
      }
    }
    // the last run is reclaimed at once; others wait for `compact()`
    if (end === this.contribEnd && end > start) this.contribEnd = start;
    this.contribLength[contributor] = 0;
  }

  /** Rebuilds the consumer → provider edges an API contributes, and its tier (§2.3, §2.4). */
  private recomputeApi(api: number) {
    this.removeContributionsOf(api);
    const reason = `consumesApi:${this.refs[api]}`;
    const providers = [...(this.apiProviders.get(api) ?? [])];
    for (const consumer of this.apiConsumers.get(api) ?? []) {
      const targets = providers.filter(p => p !== consumer);
      if (providers.length === 0) {
        // an API without provider stays visible as an unresolved dependency (R21)
        this.addContribution(consumer, api, reason, api);
      }
      for (const p of targets) this.addContribution(consumer, p, reason, api);
    }
    if (this.isApi(api)) {
      let tier = 0;
      for (const p of providers) {
        const t = this.nodeTier[p];
        if (t !== 0 && (tier === 0 || t < tier)) tier = t;
      }
      this.nodeTier[api] = tier;
    }
    if (this.inCatalog(api) && providers.length > 0) {
      this.nodeFlags[api] |= NODE_RESOLVED;
    } else {
      this.nodeFlags[api] &= ~NODE_RESOLVED;
    }
  }

  private leaveSystem(id: number) {
    const system = this.strings.get(this.nodeSystem[id]);
    if (system) this.systemMembers.get(this.idOf(system))?.delete(id);
  }

  /**
   * Adds or replaces one catalog entity: its node record and every declared edge its relations
   * contribute. Each declared edge originates in one entity's relations, so replacing them per
   * entity is exact (§3.4, R25).
   */
  upsertEntity(entity: Entity): void {
    if (!isGraphNodeKind(entity.kind)) return;
    const record = readGraphNode(entity);
    const id = this.ensureNode(record.ref);
    this.leaveSystem(id);
    this.nodeKind[id] = KIND_CODE[record.kind];
    this.titles[id] = record.title;
    this.nodeOwner[id] = this.strings.intern(record.owner);
    this.nodeSystem[id] = this.strings.intern(record.system);
    this.nodeLifecycle[id] = this.strings.intern(record.lifecycle);
    this.nodeResourceType[id] = this.strings.intern(record.resourceType);
    this.nodeTier[id] = record.tier ?? 0;
    this.nodeCustomerFacing[id] =
      CUSTOMER_FACING_CODE[
        String(record.customerFacing) as 'null' | 'false' | 'true'
      ];
    this.nodeLists[id] = encodeLists([
      record.entryPoints,
      record.regions,
      record.dataDomains,
    ]);
    this.nodeAliases[id] = encodeList(record.aliases);
    let flags = NODE_IN_CATALOG | (this.nodeFlags[id] & NODE_EXPLICIT_ALIAS);
    if (record.resolved) flags |= NODE_RESOLVED;
    if (record.kind === 'resource') flags |= NODE_RESOURCE;
    if (record.kind === 'api') flags |= NODE_API;
    if (
      record.resourceType !== undefined &&
      this.options.asyncResourceTypes.includes(record.resourceType)
    ) {
      flags |= NODE_ASYNC_RESOURCE;
    }
    if (record.aliases.length > 0) flags |= NODE_EXPLICIT_ALIAS;
    else flags &= ~NODE_EXPLICIT_ALIAS;
    this.nodeFlags[id] = flags;

    if (record.system && record.kind !== 'api') {
      const sys = this.ensureNode(record.system);
      let set = this.systemMembers.get(sys);
      if (!set) this.systemMembers.set(sys, (set = new Set()));
      set.add(id);
    }

    this.removeContributionsOf(id);
    const facts = collectDeclaredFacts(entity);
    for (const edge of facts.edges) {
      this.addContribution(
        this.ensureNode(edge.from),
        this.ensureNode(edge.to),
        edge.reason,
        id,
      );
    }
    const affected = this.replaceApiFacts(
      id,
      facts.consumesApis.map(r => this.ensureNode(r)),
      facts.providesApis.map(r => this.ensureNode(r)),
    );
    if (record.kind === 'api') affected.add(id);
    for (const api of affected) this.recomputeApi(api);
  }

  private replaceApiFacts(
    id: number,
    consumes: number[],
    provides: number[],
  ): Set<number> {
    const affected = new Set<number>();
    const old = this.apisOf.get(id);
    for (const api of old?.consumes ?? []) {
      this.apiConsumers.get(api)?.delete(id);
      affected.add(api);
    }
    for (const api of old?.provides ?? []) {
      this.apiProviders.get(api)?.delete(id);
      affected.add(api);
    }
    const add = (map: Map<number, Set<number>>, api: number) => {
      let set = map.get(api);
      if (!set) map.set(api, (set = new Set()));
      set.add(id);
      affected.add(api);
    };
    consumes.forEach(api => add(this.apiConsumers, api));
    provides.forEach(api => add(this.apiProviders, api));
    if (consumes.length > 0 || provides.length > 0) {
      this.apisOf.set(id, { consumes, provides });
    } else {
      this.apisOf.delete(id);
    }
    return affected;
  }

  /** Whether `ref` is an endpoint of an observed edge (a sighting kept by the index). */
  isObservedEndpoint(ref: string): boolean {
    const id = this.idOf(ref);
    // NO_TIME is NaN: a node never sighted
    return id >= 0 && !Number.isNaN(this.nodeLastSeen[id]);
  }

  /** Removes a catalog entity and the edges its relations contributed; refs to it become unresolved. */
  removeEntity(ref: string): void {
    const id = this.idOf(ref);
    if (id < 0 || !this.inCatalog(id)) return;
    this.removeContributionsOf(id);
    const affected = this.replaceApiFacts(id, [], []);
    this.leaveSystem(id);
    this.setUnresolved(id, ref);
    // A removed API's consumer → provider edges were contributed under its id and went with
    // its contributions, but they rest on the consumers' and providers' own relations, which
    // stay: rebuilt as a fresh build makes them for an API outside the catalog.
    if (this.apiConsumers.has(id) || this.apiProviders.has(id))
      affected.add(id);
    for (const api of affected) this.recomputeApi(api);
  }

  /**
   * Merges observed series, mapped through the alias map (§2.5; R14–R16), and advances
   * `asOf.observedEdges` — what the brief shows as "observed edges last collected X ago" (R17) —
   * to `collectedAt` when the caller knows when the evidence was collected, else to the latest
   * sighting in `records`. It never moves backwards: a batch of old, late-arriving series says
   * nothing about when the source last answered.
   */
  addObservedEdges(
    records: ObservedEdgeRecord[],
    aliases: AliasMap,
    collectedAt?: string,
  ): void {
    const voided = new Set(aliases.conflicts.map(c => c.alias));
    let latest = collectedAt === undefined ? NO_TIME : Date.parse(collectedAt);
    for (const record of records) {
      const normalized = normalizeObservedEdge(record);
      if (!normalized) continue;
      const seen = Date.parse(record.lastSeen);
      if (Number.isNaN(seen)) continue;
      if (collectedAt === undefined && !(latest >= seen)) latest = seen;
      const depRef = aliases.resolve(normalized.dependent);
      const dcyRef = aliases.resolve(normalized.dependency);
      const dep = depRef ? this.idOf(depRef) : -1;
      const dcy = dcyRef ? this.idOf(dcyRef) : -1;
      // A self-loop after alias mapping (two aliases of one entity) is dropped like a raw one
      // (R15), before the sighting: presence means being an endpoint of an observed edge (§2.5).
      if (dep >= 0 && dep === dcy) continue;
      for (const id of [dep, dcy]) {
        if (id >= 0 && !(this.nodeLastSeen[id] >= seen)) {
          this.nodeLastSeen[id] = seen;
        }
      }
      if (dep >= 0 && dcy >= 0) {
        const e = this.findOrCreateEdge(dep, dcy);
        this.edgeFlags[e] |=
          normalized.interaction === 'async' ? EDGE_OBS_ASYNC : EDGE_OBS_SYNC;
        if (!(this.edgeLastSeen[e] >= seen)) this.edgeLastSeen[e] = seen;
        continue;
      }
      // a void alias is reported as ALIAS_CONFLICT, not as unmapped telemetry
      if (dep >= 0 && !voided.has(normalized.dependency.toLowerCase())) {
        this.noteUnmapped(dep, normalized.dependency, 'callee', seen);
      } else if (dcy >= 0 && !voided.has(normalized.dependent.toLowerCase())) {
        this.noteUnmapped(dcy, normalized.dependent, 'caller', seen);
      }
    }
    const current = Date.parse(this.asOf.observedEdges);
    if (!Number.isNaN(latest) && !(current >= latest)) {
      this.asOf = {
        ...this.asOf,
        observedEdges: new Date(latest).toISOString(),
      };
    }
  }

  /**
   * Takes over the observed state of `previous` — each observed edge with its last sighting and
   * its sync/async evidence, telemetry presence and unmapped telemetry names — by ref, for the
   * catalog entities of this index, and its `asOf.observedEdges` when that is later. A full build
   * uses it when the evidence feed cannot be read (R17): declared data is rebuilt, observations
   * keep their last known state and age by their own `lastSeen` (stale after `freshFor`, gone
   * after `retainFor`), instead of vanishing with the old index. The sightings keep the alias
   * mapping they were read under until the feed is read again.
   */
  carryObservationsFrom(previous: GraphIndex): void {
    const target = (id: number) => {
      const to = this.idOf(previous.refs[id]);
      return to >= 0 && this.inCatalog(to) ? to : -1;
    };
    for (let e = 0; e < previous.edgeCount; e++) {
      const observed = previous.edgeFlags[e] & (EDGE_OBS_SYNC | EDGE_OBS_ASYNC);
      const seen = previous.edgeLastSeen[e];
      if (!observed || Number.isNaN(seen)) continue;
      const from = target(previous.edgeFrom[e]);
      const to = target(previous.edgeTo[e]);
      if (from < 0 || to < 0 || from === to) continue;
      const edge = this.findOrCreateEdge(from, to);
      this.edgeFlags[edge] |= observed;
      if (!(this.edgeLastSeen[edge] >= seen)) this.edgeLastSeen[edge] = seen;
    }
    for (let id = 0; id < previous.nodeCount; id++) {
      const to = target(id);
      if (to < 0) continue;
      const seen = previous.nodeLastSeen[id];
      if (!Number.isNaN(seen) && !(this.nodeLastSeen[to] >= seen)) {
        this.nodeLastSeen[to] = seen;
      }
      for (const u of previous.unmappedOf(id)) {
        this.noteUnmapped(to, u.name, u.role, Date.parse(u.lastSeen));
      }
    }
    const mine = Date.parse(this.asOf.observedEdges);
    const theirs = Date.parse(previous.asOf.observedEdges);
    if (!Number.isNaN(theirs) && !(mine >= theirs)) {
      this.asOf = { ...this.asOf, observedEdges: previous.asOf.observedEdges };
    }
  }

  /**
   * Records an unmapped name next to a node. The list is in a total order — name, then role — so
   * the order of the series does not show in the brief (R19); `lastSeen` keeps the latest
   * sighting, compared as an instant and stored as UTC ISO.
   */
  private noteUnmapped(
    id: number,
    name: string,
    role: 'callee' | 'caller',
    seenMs: number,
  ) {
    const list = this.unmapped.get(id) ?? [];
    // Names are matched without case (as aliases are): `Checkout` and `checkout` are one
    // unmapped name, listed once.
    const key = lowerCaseEn(name);
    const existing = list.find(
      u => u.role === role && lowerCaseEn(u.name) === key,
    );
    if (existing) {
      if (Date.parse(existing.lastSeen) < seenMs) {
        existing.lastSeen = new Date(seenMs).toISOString();
      }
      // one spelling whatever the order the sightings came in (R19): the first in code order
      if (compareStrings(name, existing.name) < 0) existing.name = name;
    } else {
      list.push({
        ref: this.refs[id],
        name,
        role,
        lastSeen: new Date(seenMs).toISOString(),
      });
    }
    // sorted after a new spelling too: it can move the entry
    list.sort(
      (a, b) =>
        compareStrings(a.name, b.name) || compareStrings(a.role, b.role),
    );
    this.unmapped.set(id, list);
  }

  /**
   * Folds the overflow lists into fresh CSR arrays, dropping dead edges. O(V log V + E):
   * neighbours are ordered by a counting sort on their ref rank.
   */
  compact(): void {
    const n = this.refs.length;
    const rankOf = new Int32Array(n);
    this.sortByRef(Array.from({ length: n }, (_, i) => i)).forEach(
      (id, rank) => {
        rankOf[id] = rank;
      },
    );
    const live: number[] = [];
    for (let e = 0; e < this.edgeCount; e++) {
      if (!(this.edgeFlags[e] & EDGE_DEAD)) live.push(e);
    }
    const build = (owner: Int32Array, other: Int32Array) => {
      const offsets = new Int32Array(n + 1);
      for (const e of live) offsets[owner[e] + 1]++;
      for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
      // bucket edges by the rank of the neighbour, then place them in owner order
      const byNeighbour = new Int32Array(n + 1);
      for (const e of live) byNeighbour[rankOf[other[e]] + 1]++;
      for (let i = 0; i < n; i++) byNeighbour[i + 1] += byNeighbour[i];
      const ordered = new Int32Array(live.length);
      for (const e of live) ordered[byNeighbour[rankOf[other[e]]]++] = e;
      const cursor = offsets.slice(0, n);
      const neighbours = new Int32Array(live.length);
      const edges = new Int32Array(live.length);
      for (const e of ordered) {
        const slot = cursor[owner[e]]++;
        neighbours[slot] = other[e];
        edges[slot] = e;
      }
      return { offsets, neighbours, edges };
    };
    const fwd = build(this.edgeFrom, this.edgeTo);
    const rev = build(this.edgeTo, this.edgeFrom);
    this.fwdOffsets = fwd.offsets;
    this.fwdNeighbours = fwd.neighbours;
    this.fwdEdges = fwd.edges;
    this.revOffsets = rev.offsets;
    this.revNeighbours = rev.neighbours;
    this.revEdges = rev.edges;
    this.csrNodes = n;
    this.fwdOverflow = [];
    this.revOverflow = [];
    this.bulkLoading = false;
    this.packContributions();
    this.trimToSize();
  }

  /** Rewrites the contribution runs without the garbage left by incremental edits. */
  private packContributions() {
    const n = this.refs.length;
    let total = 0;
    for (let c = 0; c < n; c++) total += 2 * this.contribLength[c];
    const packed = new Int32Array(total);
    let at = 0;
    for (let c = 0; c < n; c++) {
      const start = this.contribStart[c];
      const length = 2 * this.contribLength[c];
      packed.set(this.contribData.subarray(start, start + length), at);
      this.contribStart[c] = at;
      at += length;
    }
    this.contribData = packed;
    this.contribEnd = total;
  }

  /** Drops the spare capacity that doubling left in the node and edge columns. */
  private trimToSize() {
    const n = this.refs.length;
    const m = this.edgeCount;
    this.nodeKind = this.nodeKind.slice(0, n);
    this.nodeTier = this.nodeTier.slice(0, n);
    this.nodeCustomerFacing = this.nodeCustomerFacing.slice(0, n);
    this.nodeFlags = this.nodeFlags.slice(0, n);
    this.nodeOwner = this.nodeOwner.slice(0, n);
    this.nodeSystem = this.nodeSystem.slice(0, n);
    this.nodeLifecycle = this.nodeLifecycle.slice(0, n);
    this.nodeResourceType = this.nodeResourceType.slice(0, n);
    this.nodeLastSeen = this.nodeLastSeen.slice(0, n);
    this.contribStart = this.contribStart.slice(0, n);
    this.contribLength = this.contribLength.slice(0, n);
    this.nodeCapacity = n;
    this.edgeFrom = this.edgeFrom.slice(0, m);
    this.edgeTo = this.edgeTo.slice(0, m);
    this.edgeFlags = this.edgeFlags.slice(0, m);
    this.edgeLastSeen = this.edgeLastSeen.slice(0, m);
    this.edgeReason = this.edgeReason.slice(0, m);
    this.edgeReasonCount = this.edgeReasonCount.slice(0, m);
  }

  // ---------------------------------------------------------------- classification at `now`

  /** True when the node is an endpoint of an observed edge seen within `freshFor` (§2.5). */
  hasPresence(id: number, nowMs: number): boolean {
    return nowMs - this.nodeLastSeen[id] <= this.options.freshForMs;
  }

  /** @internal */ isDead(e: number): boolean {
    return (this.edgeFlags[e] & EDGE_DEAD) !== 0;
  }

  /** True when at least one catalog relation declares the edge. */
  isDeclared(e: number): boolean {
    return this.edgeReason[e] !== NONE;
  }

  /** True when the edge was observed within `retainFor` of `now`. */
  isObserved(e: number, nowMs: number): boolean {
    return nowMs - this.edgeLastSeen[e] <= this.options.retainForMs;
  }

  /** True when the edge was observed within `freshFor` of `now`. */
  isFresh(e: number, nowMs: number): boolean {
    return nowMs - this.edgeLastSeen[e] <= this.options.freshForMs;
  }

  /** The evidence of an edge at `now`, or null when nothing supports it any more. */
  evidenceOf(e: number, nowMs: number): EdgeEvidence | null {
    const declared = this.isDeclared(e);
    const observed = this.isObserved(e, nowMs);
    if (declared && observed) return 'both';
    if (declared) return 'declared';
    return observed ? 'observed' : null;
  }

  /** Observation state (§2.5 table). */
  observationOf(e: number, nowMs: number): EdgeObservation {
    if (this.isObserved(e, nowMs)) {
      return this.isFresh(e, nowMs) ? 'fresh' : 'stale';
    }
    return this.unverifiableReason(e, nowMs) ? 'unverifiable' : 'none';
  }

  /**
   * Why an unobserved edge cannot be verified: the dependency is a Resource without an alias
   * (telemetry cannot name it), or an endpoint has no telemetry presence; null when verifiable.
   */
  unverifiableReason(
    e: number,
    nowMs: number,
  ): { ref: string; cause: 'no-alias' | 'no-telemetry' } | null {
    const to = this.edgeTo[e];
    const from = this.edgeFrom[e];
    if (
      this.nodeFlags[to] & NODE_RESOURCE &&
      !(this.nodeFlags[to] & NODE_EXPLICIT_ALIAS)
    ) {
      return { ref: this.refs[to], cause: 'no-alias' };
    }
    if (!this.hasPresence(from, nowMs)) {
      return { ref: this.refs[from], cause: 'no-telemetry' };
    }
    if (!this.hasPresence(to, nowMs)) {
      return { ref: this.refs[to], cause: 'no-telemetry' };
    }
    return null;
  }

  /**
   * `sync` when any evidence at `now` is synchronous; async edges only hand off through queues
   * (§2.4). Observations count only within `retainFor`: one that aged out is no evidence (§2.5),
   * so an old synchronous sighting no longer turns a declared queue hand-off into a sync edge.
   * The sync/async flags are kept per edge, not per sighting: within retention, an edge seen both
   * ways is sync.
   */
  interactionOf(e: number, nowMs: number): EdgeInteraction {
    const declaredSync =
      this.isDeclared(e) &&
      !(this.nodeFlags[this.edgeTo[e]] & NODE_ASYNC_RESOURCE);
    if (declaredSync) return 'sync';
    if (this.edgeFlags[e] & EDGE_OBS_SYNC && this.isObserved(e, nowMs)) {
      return 'sync';
    }
    return 'async';
  }

  /**
   * A messaging edge is explained when consumer and producer both declare a dependency on the
   * same async Resource; returns the lexicographically first such Resource, or null.
   */
  explainedBy(e: number): string | null {
    if (!(this.edgeFlags[e] & EDGE_OBS_ASYNC)) return null;
    const consumerTargets = this.declaredAsyncTargets(this.edgeFrom[e]);
    const producerTargets = new Set(this.declaredAsyncTargets(this.edgeTo[e]));
    const shared = consumerTargets
      .filter(t => producerTargets.has(t))
      .map(t => this.refs[t])
      .sort();
    return shared[0] ?? null;
  }

  private declaredAsyncTargets(id: number): number[] {
    const out: number[] = [];
    this.forEachNeighbour(id, 'forward', (to, e) => {
      if (
        !this.isDead(e) &&
        this.isDeclared(e) &&
        this.nodeFlags[to] & NODE_ASYNC_RESOURCE
      ) {
        out.push(to);
      }
    });
    return out;
  }

  /** Drift of an edge at `now` (§2.5). */
  driftOf(e: number, nowMs: number): EdgeDrift {
    const declared = this.isDeclared(e);
    if (!declared && this.isObserved(e, nowMs)) {
      return this.explainedBy(e) ? null : 'undeclared';
    }
    if (declared && this.observationOf(e, nowMs) === 'none')
      return 'unobserved';
    return null;
  }

  /** The declared reasons of an edge (sorted), plus `observed` when observed within retention. */
  reasonsOf(e: number, nowMs: number): string[] {
    const reasons: string[] = [];
    if (this.edgeReason[e] !== NONE) {
      reasons.push(this.strings.get(this.edgeReason[e])!);
      for (const r of this.moreReasons.get(e)?.keys() ?? []) {
        reasons.push(this.strings.get(r)!);
      }
      reasons.sort();
    }
    if (this.isObserved(e, nowMs)) reasons.push('observed');
    return reasons;
  }

  /** The full classified record of one logical edge at `now` (§2.6). */
  edgeView(e: number, nowMs: number): LogicalEdge {
    const lastSeen = this.edgeLastSeen[e];
    const explainedBy = this.isDeclared(e) ? null : this.explainedBy(e);
    return {
      from: this.edgeFrom[e],
      to: this.edgeTo[e],
      reasons: this.reasonsOf(e, nowMs),
      evidence: this.evidenceOf(e, nowMs) ?? 'observed',
      observation: this.observationOf(e, nowMs),
      ...(this.isObserved(e, nowMs)
        ? { lastSeen: new Date(lastSeen).toISOString() }
        : {}),
      interaction: this.interactionOf(e, nowMs),
      drift: this.driftOf(e, nowMs),
      ...(explainedBy ? { explainedBy } : {}),
    };
  }

  /** Every live logical edge, classified at `now`, ordered by (from ref, to ref). */
  logicalEdges(nowMs: number): LogicalEdge[] {
    const out: LogicalEdge[] = [];
    const ids = Array.from({ length: this.refs.length }, (_, i) => i);
    for (const from of this.sortByRef(ids)) {
      this.forEachNeighbour(from, 'forward', (_to, e) => {
        if (!this.isDead(e) && this.evidenceOf(e, nowMs)) {
          out.push(this.edgeView(e, nowMs));
        }
      });
    }
    return out;
  }

  /**
   * Visits the neighbours of a node in ref order: `forward` = its dependencies, `reverse` = its
   * dependents. CSR and overflow entries are merged so incremental edits keep the order.
   */
  forEachNeighbour(
    id: number,
    direction: 'forward' | 'reverse',
    visit: (neighbour: number, edge: number) => void,
  ): void {
    const offsets = direction === 'forward' ? this.fwdOffsets : this.revOffsets;
    const neighbours =
      direction === 'forward' ? this.fwdNeighbours : this.revNeighbours;
    const edges = direction === 'forward' ? this.fwdEdges : this.revEdges;
    const extra =
      direction === 'forward' ? this.fwdOverflow[id] : this.revOverflow[id];
    let i = id < this.csrNodes ? offsets[id] : 0;
    const end = id < this.csrNodes ? offsets[id + 1] : 0;
    if (!extra) {
      for (; i < end; i++) visit(neighbours[i], edges[i]);
      return;
    }
    let j = 0;
    while (i < end || j < extra.length) {
      if (
        j >= extra.length ||
        (i < end && this.compareRefs(neighbours[i], extra[j]) <= 0)
      ) {
        visit(neighbours[i], edges[i]);
        i++;
      } else {
        visit(extra[j], extra[j + 1]);
        j += 2;
      }
    }
  }

  /** @internal Sizes the reusable search buffers; amortized, never per request. */
  prepareScratch(): SearchScratch {
    const s = this.scratch;
    const n = this.refs.length + 1;
    if (s.visit.length < n) {
      const size = Math.max(n, s.visit.length * 2);
      s.visit = growInt32(s.visit, size);
      s.hop = new Int32Array(size);
      s.parent = new Int32Array(size);
      s.parentEdge = new Int32Array(size);
      s.queue = new Int32Array(size);
      s.aux = growInt32(s.aux, size);
      s.auxQueue = new Int32Array(size);
    }
    if (s.edgeSeen.length < this.edgeCount) {
      s.edgeSeen = growInt32(s.edgeSeen, this.edgeCount);
    }
    s.generation++;
    return s;
  }
}

/** Convenience for callers holding a ref that may be un-normalized. */
export function lookupNode(index: GraphIndex, ref: string): number {
  return index.idOf(normalizeRef(ref));
}
