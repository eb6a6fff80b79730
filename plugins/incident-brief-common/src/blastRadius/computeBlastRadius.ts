import { compareStrings } from '../refs/compareStrings';
import { refKind, tryNormalizeRef } from '../refs/entityRefs';
import { GraphIndex } from '../graph/GraphIndex';
import { GraphNodeSummary } from '../graph/types';
import { BlastRadiusInputError } from './BlastRadiusInputError';
import { compareImpacted } from './orderImpacted';
import { decodeCursor, encodeCursor } from './pageCursor';
import { rateConfidence } from './rateConfidence';
import {
  BlastRadiusAnswer,
  BlastRadiusOptions,
  BlastRadiusResult,
  EdgeFilter,
  EdgeStats,
  ImpactedEntity,
  PathStep,
} from './types';
import {
  parseDirection,
  parseEdgeFilter,
  parseHops,
  parseLimit,
  parseNow,
} from './validateSearchOptions';

const ROOT_KINDS = ['component', 'resource', 'api', 'system'];

interface Roots {
  refs: string[];
  seeds: number[];
  /** API roots whose hop 1 is their consumers */
  apis: Set<number>;
}

function resolveRoots(index: GraphIndex, roots: string[]): Roots {
  if (roots.length === 0) {
    throw new BlastRadiusInputError(400, 'at least one root is required');
  }
  const refs = new Set<string>();
  for (const raw of roots) {
    const ref = tryNormalizeRef(raw);
    if (!ref) {
      throw new BlastRadiusInputError(400, `invalid entity ref ${raw}`);
    }
    if (!ROOT_KINDS.includes(refKind(ref) ?? '')) {
      throw new BlastRadiusInputError(
        400,
        'blast radius applies to Component, Resource, API or System',
      );
    }
    const id = index.idOf(ref);
    if (id < 0 || !index.inCatalog(id)) {
      throw new BlastRadiusInputError(404, `entity ${ref} not found`);
    }
    refs.add(ref);
  }
  const sorted = [...refs].sort();
  const seeds = new Set<number>();
  const apis = new Set<number>();
  for (const ref of sorted) {
    const id = index.idOf(ref);
    if (refKind(ref) === 'system') {
      // a System is the multi-source search of its members (R18)
      index.membersOf(id).forEach(m => seeds.add(m));
    } else {
      seeds.add(id);
      if (index.isApi(id)) apis.add(id);
    }
  }
  return { refs: sorted, seeds: [...seeds], apis };
}

function passesFilter(
  index: GraphIndex,
  e: number,
  filter: EdgeFilter,
  includeStale: boolean,
  nowMs: number,
): boolean {
  if (index.isDead(e)) return false;
  const declared = index.isDeclared(e);
  const observed = index.isObserved(e, nowMs);
  const fresh = observed && index.isFresh(e, nowMs);
  if (filter === 'declared') return declared;
  if (filter === 'observed') return observed && (includeStale || fresh);
  if (!declared && !observed) return false;
  // a stale observed-only edge is dropped when stale evidence is excluded (R24)
  return includeStale || declared || fresh;
}

function stepOf(index: GraphIndex, e: number, nowMs: number): PathStep {
  const view = index.edgeView(e, nowMs);
  return {
    from: index.refOf(view.from),
    to: index.refOf(view.to),
    reasons: view.reasons,
    evidence: view.evidence,
    observation: view.observation,
    interaction: view.interaction,
    ...(view.lastSeen ? { lastSeen: view.lastSeen } : {}),
    drift: view.drift,
    ...(view.explainedBy ? { explainedBy: view.explainedBy } : {}),
  };
}

function rotateCycle(refs: string[]): string[] {
  let min = 0;
  for (let i = 1; i < refs.length; i++) if (refs[i] < refs[min]) min = i;
  return [...refs.slice(min), ...refs.slice(0, min)];
}

const increment = (
  map: Record<string | number, number>,
  key: string | number,
) => {
  map[key] = (map[key] ?? 0) + 1;
};

/**
 * A count map keyed by data (owners, systems, regions, data domains): without a prototype, so a
 * region named `constructor` or `__proto__` is counted like any other instead of reading, or
 * writing, a member of `Object.prototype`. JSON and `Object.keys` see the same own keys.
 */
const dataCounts = (): Record<string, number> => Object.create(null);

/**
 * Blast radius (§3): breadth-first search over reverse logical edges (or forward ones for
 * `direction = 'dependencies'`) up to `hops`, with paths, counts, edge statistics, confidence,
 * cycles and `beyondLimit`. Linear in the visited neighbourhood; buffers are reused per index.
 *
 * `{ examinedEdges: false }` answers without `examinedEdges` (a `BlastRadiusAnswer`, as the API
 * sends it): the edge statistics are then counted without building and sorting a step per
 * examined edge — about a fifth of the search for the radius of a shared service
 * (docs/benchmarks.md, "Run 8").
 */
export function computeBlastRadius(
  index: GraphIndex,
  roots: string[],
  options: BlastRadiusOptions,
  now: string,
): BlastRadiusResult;
export function computeBlastRadius(
  index: GraphIndex,
  roots: string[],
  options: BlastRadiusOptions,
  now: string,
  output: { examinedEdges: false },
): BlastRadiusAnswer;
export function computeBlastRadius(
  index: GraphIndex,
  roots: string[],
  options: BlastRadiusOptions,
  now: string,
  output: { examinedEdges: boolean } = { examinedEdges: true },
): BlastRadiusResult | BlastRadiusAnswer {
  const hops = parseHops(options.hops);
  const edges = parseEdgeFilter(options.edges);
  const direction = parseDirection(options.direction);
  const limit = parseLimit(options.limit);
  const includeStale = options.includeStale ?? true;
  const nowMs = parseNow(now);
  const root = resolveRoots(index, roots);
  const queryKey = JSON.stringify([
    root.refs,
    hops,
    edges,
    includeStale,
    direction,
  ]);
  const offset = options.cursor ? decodeCursor(options.cursor, queryKey) : 0;

  const s = index.prepareScratch();
  const gen = s.generation;
  const adjacency = direction === 'dependents' ? 'reverse' : 'forward';
  const passes = (e: number) =>
    passesFilter(index, e, edges, includeStale, nowMs);

  /** neighbours of `u` in search order; API roots reach their consumers at hop 1 */
  const expand = (u: number, visit: (v: number, e: number) => void) => {
    if (root.apis.has(u) && direction === 'dependents' && index.isResolved(u)) {
      for (const link of index.consumersOf(u)) {
        if (link.edge >= 0) visit(link.node, link.edge);
      }
      return;
    }
    index.forEachNeighbour(u, adjacency, visit);
  };
  const expandable = (u: number) => s.hop[u] === 0 || index.isResolved(u);

  // counters live on an object so the visit callbacks below do not close over loop variables
  const q = { tail: 0, beyond: 0, immTail: 0 };
  for (const seed of root.seeds) {
    if (s.visit[seed] === gen) continue;
    s.visit[seed] = gen;
    s.hop[seed] = 0;
    s.parent[seed] = -1;
    s.parentEdge[seed] = -1;
    s.queue[q.tail++] = seed;
  }
  const seedCount = q.tail;
  const examined: number[] = [];
  const cycles = new Map<string, string[]>();
  const unresolved: BlastRadiusResult['unresolved'] = [];

  for (let head = 0; head < q.tail; head++) {
    const u = s.queue[head];
    if (s.hop[u] >= hops || !expandable(u)) continue;
    expand(u, (v, e) => {
      if (!passes(e)) return;
      if (s.edgeSeen[e] !== gen) {
        s.edgeSeen[e] = gen;
        examined.push(e);
      }
      if (s.visit[v] !== gen) {
        s.visit[v] = gen;
        s.hop[v] = s.hop[u] + 1;
        s.parent[v] = u;
        s.parentEdge[v] = e;
        s.queue[q.tail++] = v;
        if (!index.isResolved(v)) {
          unresolved.push({
            ref: index.refOf(v),
            referencedBy: index.refOf(u),
            reason: index.isApi(v)
              ? 'api-without-provider'
              : index.reasonsOf(e, nowMs).join(',') || 'missing-entity',
          });
        }
        return;
      }
      // a visited node on the tree path root…u closes a cycle (no separate enumeration)
      const chain: number[] = [];
      for (let w = u; w !== -1; w = s.parent[w]) {
        chain.push(w);
        if (w === v) break;
      }
      if (chain[chain.length - 1] !== v) return;
      const ordered =
        direction === 'dependents'
          ? [v, ...chain.slice(0, -1)]
          : [...chain].reverse();
      const refs = rotateCycle(ordered.map(id => index.refOf(id)));
      cycles.set(refs.join('\n'), refs);
    });
  }

  // beyondLimit: distinct unvisited neighbours of the last ring; stamped with -gen to stay apart
  for (let i = 0; i < q.tail; i++) {
    const u = s.queue[i];
    if (s.hop[u] !== hops || !expandable(u)) continue;
    expand(u, (v, e) => {
      if (!passes(e) || s.visit[v] === gen || s.aux[v] === -gen) return;
      s.aux[v] = -gen;
      q.beyond++;
    });
  }

  // immediate impact: the same search over sync edges only, level by level
  for (let i = 0; i < seedCount; i++) {
    s.aux[s.queue[i]] = gen;
    s.auxQueue[q.immTail++] = s.queue[i];
  }
  for (let level = 0, start = 0; level < hops && start < q.immTail; level++) {
    const end = q.immTail;
    for (let i = start; i < end; i++) {
      const u = s.auxQueue[i];
      if (level > 0 && !index.isResolved(u)) continue;
      expand(u, (v, e) => {
        if (
          !passes(e) ||
          s.aux[v] === gen ||
          index.interactionOf(e, nowMs) !== 'sync'
        )
          return;
        s.aux[v] = gen;
        s.auxQueue[q.immTail++] = v;
      });
    }
    start = end;
  }

  const visited: { id: number; hop: number; node: GraphNodeSummary }[] = [];
  for (let i = seedCount; i < q.tail; i++) {
    const id = s.queue[i];
    visited.push({ id, hop: s.hop[id], node: index.summary(id) });
  }
  visited.sort(compareImpacted);

  const counts: BlastRadiusResult['counts'] = {
    total: visited.length,
    byHop: {},
    byTier: { 1: 0, 2: 0, 3: 0, unknown: 0 },
    customerFacing: 0,
    immediate: 0,
    deferred: 0,
    unresolved: 0,
    byKind: {},
    byOwner: dataCounts(),
    bySystem: dataCounts(),
    regions: dataCounts(),
    dataDomains: dataCounts(),
  };
  const entryPoints: BlastRadiusResult['entryPoints'] = [];
  for (const { id, hop, node } of visited) {
    increment(counts.byHop, hop);
    increment(counts.byKind, node.kind);
    if (!node.resolved) {
      // unresolved refs are counted apart and never read as tier or exposure data (R4)
      counts.unresolved++;
      continue;
    }
    increment(counts.byTier, node.tier ?? 'unknown');
    if (node.customerFacing === true) counts.customerFacing++;
    if (s.aux[id] === gen) counts.immediate++;
    else counts.deferred++;
    if (node.owner) increment(counts.byOwner, node.owner);
    if (node.system) increment(counts.bySystem, node.system);
    // most entities have no entry points, regions or data domains: nothing to decode
    const lists = index.listsOf(id);
    if (lists) {
      const [eps, regions, dataDomains] = lists;
      if (node.customerFacing === true)
        eps.forEach(ep => entryPoints.push({ ref: node.ref, entryPoint: ep }));
      regions.forEach(r => increment(counts.regions, r));
      dataDomains.forEach(d => increment(counts.dataDomains, d));
    }
  }
  for (let i = 0; i < seedCount; i++) {
    const id = s.queue[i];
    const lists = index.listsOf(id);
    if (lists && index.summary(id).customerFacing === true) {
      lists[0].forEach(ep =>
        entryPoints.push({ ref: index.refOf(id), entryPoint: ep }),
      );
    }
  }

  const edgeStats: EdgeStats = {
    examined: examined.length,
    confirmed: 0,
    declaredOnly: 0,
    observedOnly: 0,
    both: 0,
    stale: 0,
    unverifiable: 0,
    driftUndeclared: 0,
    driftUnobserved: 0,
  };
  const tally = (
    edge: Pick<PathStep, 'observation' | 'evidence' | 'drift'>,
  ) => {
    if (edge.observation === 'fresh') edgeStats.confirmed++;
    if (edge.observation === 'stale') edgeStats.stale++;
    if (edge.observation === 'unverifiable') edgeStats.unverifiable++;
    if (edge.evidence === 'both') edgeStats.both++;
    else if (edge.evidence === 'declared') edgeStats.declaredOnly++;
    else edgeStats.observedOnly++;
    if (edge.drift === 'undeclared') edgeStats.driftUndeclared++;
    if (edge.drift === 'unobserved') edgeStats.driftUnobserved++;
  };
  let examinedEdges: PathStep[] | undefined;
  if (output.examinedEdges) {
    examinedEdges = examined.map(e => stepOf(index, e, nowMs));
    examinedEdges.forEach(tally);
    examinedEdges.sort(
      (a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to),
    );
  } else {
    // the three classifications edgeView would compute, without its object
    for (const e of examined) {
      tally({
        observation: index.observationOf(e, nowMs),
        evidence: index.evidenceOf(e, nowMs) ?? 'observed',
        drift: index.driftOf(e, nowMs),
      });
    }
  }
  let rootHasTelemetry = false;
  for (let i = 0; i < seedCount; i++) {
    if (index.hasPresence(s.queue[i], nowMs)) rootHasTelemetry = true;
  }

  // A cursor past the end (the radius shrank since it was issued) reads as an empty last page,
  // which the cards' paging shows as "no more"; a 400 would leave them retrying it.
  const page = visited.slice(offset, offset + limit);
  // One step object per tree edge, shared by every path through it: a shared service's page
  // repeats its hop-1 and hop-2 steps in hundreds of paths (one `edgeView` each instead), and
  // the wire form `paths=shared` (sharePathSteps) sends each step once.
  const treeSteps = new Map<number, PathStep>();
  const treeStep = (w: number) => {
    let step = treeSteps.get(w);
    if (!step) {
      step = stepOf(index, s.parentEdge[w], nowMs);
      // an API root's hop-1 step names the API the consumer needs
      if (root.apis.has(s.parent[w])) step.to = index.refOf(s.parent[w]);
      treeSteps.set(w, step);
    }
    return step;
  };
  const impacted: ImpactedEntity[] = page.map(({ id, hop, node }) => {
    const path: PathStep[] = [];
    for (let w = id; s.parent[w] !== -1; w = s.parent[w])
      path.push(treeStep(w));
    path.reverse();
    return {
      ref: node.ref,
      kind: node.kind,
      title: node.title,
      hop,
      path,
      tier: node.tier,
      customerFacing: node.customerFacing,
      owner: node.owner,
      system: node.system,
      lifecycle: node.lifecycle,
      immediate: node.resolved && s.aux[id] === gen,
      resolved: node.resolved,
      deprecated: node.lifecycle === 'deprecated',
    };
  });
  const truncated = offset + limit < visited.length;

  return {
    roots: root.refs,
    hops,
    edges,
    direction,
    impacted,
    truncated,
    ...(truncated
      ? { nextCursor: encodeCursor(queryKey, offset + limit) }
      : {}),
    counts,
    entryPoints,
    edgeStats,
    confidence: rateConfidence(edgeStats, rootHasTelemetry),
    cycles: [...cycles.values()].sort((a, b) =>
      compareStrings(a.join('\n'), b.join('\n')),
    ),
    unresolved: unresolved.sort(
      (a, b) =>
        compareStrings(a.ref, b.ref) ||
        compareStrings(a.referencedBy, b.referencedBy),
    ),
    beyondLimit: q.beyond,
    ...(examinedEdges ? { examinedEdges } : {}),
    asOf: index.asOf,
  };
}
