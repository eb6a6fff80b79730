import { Entity } from '@backstage/catalog-model';
import {
  CatalogRead,
  CatalogReadCode,
  CatalogReads,
  catalogRead,
  collectCatalogReads,
  noteCatalogRead,
  noteCatalogReads,
} from './catalogReads';
import { entityRefOf, normalizeEntityRef, specRefs } from './entityRefs';

/** The catalog around the entity being evaluated: groups, users, systems, domains, APIs, dependents. */
export interface CatalogSnapshot {
  entities: Entity[];
  refreshedAt: string;
}

/** A catalog snapshot indexed once for many evaluations. */
export interface CatalogIndex {
  refreshedAt: string;
  refreshedAtMs: number;
  get(ref: string): Entity | undefined;
  /** Normalized refs of entities whose spec.dependsOn names this ref. */
  dependentsOf(ref: string): readonly string[];
  /** Normalized refs of entities consuming this API. */
  consumersOfApi(apiRef: string): readonly string[];
  /** Normalized refs of entities providing this API. */
  providersOfApi(apiRef: string): readonly string[];
  /**
   * Refs declared as direct members of a group (its `spec.members`, and Users whose
   * `spec.memberOf` names it); a ref may name no entity of the snapshot, or one of another kind.
   */
  membersOf(groupRef: string): readonly string[];
  /** Groups whose spec.parent is this group. */
  childGroupsOf(groupRef: string): readonly string[];
  /** The parent group ref of a group, if it has one. */
  parentOf(groupRef: string): string | null;
}

const EMPTY: readonly string[] = [];

/**
 * Lookups derived from one snapshot index and kept for its lifetime: an index is built once per
 * snapshot refresh and serves every evaluation until the next one, and many entities share an
 * owner group, so its chain of parents (and the lifecycle of a dependency) is worked out once.
 */
export interface CatalogMemo {
  /** Group chains (`groupChain`) by depth and group ref. */
  chains: DepthRefMemo<Entity[]>;
  /** Owner resolutions (`resolveOwner`, snapshot assumed fresh) by owner ref. */
  owners: Map<string, unknown>;
  /** Effective lifecycle by ref; null for a ref not in the snapshot. */
  lifecycles: Map<string, string | null>;
  /** User members of a group and its children, by depth and group ref. */
  memberCounts: DepthRefMemo<number>;
  /** On-call route candidates of a group chain, by depth and group ref. */
  chainRoutes: DepthRefMemo<unknown>;
  /** The snapshot's entities, walked once for URL credentials (`catalogHoldsUrlCredentials`). */
  entities: readonly Entity[];
  /** Whether an entity of the snapshot holds URL credentials; worked out on first need. */
  urlCredentials?: boolean;
}

/** How many of the last answers a `DepthRefMemo` checks before its maps. */
const RECENT = 4;

/**
 * Values derived from one snapshot for a (depth, group ref), computed once. The checks of one
 * evaluation ask for the same owner Group several times (its chain at two depths, its members,
 * its routes), with the same ref text each time (the owner's resolution keeps it), so the last
 * few answers are compared first: a ref that is the same text object matches without a hash or
 * a character comparison, where a map lookup would hash and compare it.
 */
export class DepthRefMemo<V> {
  private readonly byDepth = new Map<number, Map<string, Memoized<V>>>();
  private readonly recentDepths: number[] = new Array(RECENT).fill(-1);
  private readonly recentRefs: string[] = new Array(RECENT).fill('');
  private readonly recentAnswers: (Memoized<V> | undefined)[] = new Array(
    RECENT,
  ).fill(undefined);
  private next = 0;

  /**
   * The value for (depth, ref), computed by `compute(catalog, ref, depth)` the first time. The
   * lookups that computation made are kept with the value and noted again on every hit
   * (`catalogReads`).
   */
  get(
    catalog: CatalogIndex,
    depth: number,
    ref: string,
    compute: (catalog: CatalogIndex, ref: string, depth: number) => V,
  ): V {
    for (let i = 0; i < RECENT; i++)
      if (this.recentDepths[i] === depth && this.recentRefs[i] === ref) {
        const recent = this.recentAnswers[i]!;
        noteCatalogReads(recent.reads);
        return recent.value;
      }
    let byRef = this.byDepth.get(depth);
    if (!byRef) {
      byRef = new Map();
      this.byDepth.set(depth, byRef);
    }
    let answer = byRef.get(ref);
    if (answer === undefined) {
      answer = collectCatalogReads(() => compute(catalog, ref, depth));
      byRef.set(ref, answer);
    } else noteCatalogReads(answer.reads);
    const slot = this.next;
    this.next = (slot + 1) % RECENT;
    this.recentDepths[slot] = depth;
    this.recentRefs[slot] = ref;
    this.recentAnswers[slot] = answer;
    return answer.value;
  }
}

/** A memo's value and the lookups it was computed from. */
interface Memoized<V> {
  value: V;
  reads: CatalogReads;
}

const MEMO = Symbol('catalogMemo');

/** The memo of an index built by `indexCatalog`; undefined for other implementations. */
export function catalogMemo(catalog: CatalogIndex): CatalogMemo | undefined {
  return (catalog as { [MEMO]?: CatalogMemo })[MEMO];
}

function push(map: Map<string, string[]>, key: string, value: string) {
  const list = map.get(key);
  if (list) {
    if (!list.includes(value)) list.push(value);
  } else map.set(key, [value]);
}

/** The reverse lookups that answer a list of refs. */
type ListReadCode = Exclude<CatalogReadCode, 'g' | 'a'>;

/**
 * Every reverse-lookup answer an entity takes part in, as (read code, the ref looked up, the
 * ref answered): a Component's `dependsOn` puts it among the dependents of each target, a
 * User's `memberOf` among the members of each group, and so on. `indexCatalog` builds its
 * lookups from these, and `catalogReadsOf` names the same answers, so the two cannot disagree.
 */
function forEachReverseEntry(
  entity: Entity,
  ref: string,
  visit: (code: ListReadCode | 'a', key: string, value: string) => void,
): void {
  const ns = entity.metadata.namespace ?? 'default';
  for (const dep of specRefs(entity, 'dependsOn')) {
    const target = normalizeEntityRef(dep, 'component', ns);
    if (target) visit('d', target, ref);
  }
  for (const api of specRefs(entity, 'consumesApis')) {
    const target = normalizeEntityRef(api, 'api', ns);
    if (target) visit('c', target, ref);
  }
  for (const api of specRefs(entity, 'providesApis')) {
    const target = normalizeEntityRef(api, 'api', ns);
    if (target) visit('p', target, ref);
  }
  if (entity.kind === 'Group') {
    for (const member of specRefs(entity, 'members')) {
      const user = normalizeEntityRef(member, 'user', ns);
      if (user) visit('m', ref, user);
    }
    const parent = normalizeEntityRef(
      (entity.spec as Record<string, unknown> | undefined)?.parent,
      'group',
      ns,
    );
    if (parent) {
      visit('a', ref, parent);
      visit('k', parent, ref);
    }
  }
  if (entity.kind === 'User') {
    for (const group of specRefs(entity, 'memberOf')) {
      const groupRef = normalizeEntityRef(group, 'group', ns);
      if (groupRef) visit('m', groupRef, ref);
    }
  }
}

/**
 * The reads (`catalogReads`) whose answer depends on this entity: its own `get`, and every
 * reverse lookup it takes part in. When an entity is added, removed or changed, the reads of
 * its old and its new version together are every answer of the snapshot that changed.
 */
export function catalogReadsOf(entity: Entity): CatalogRead[] {
  const ref = entityRefOf(entity);
  const reads = new Set<CatalogRead>([catalogRead('g', ref)]);
  forEachReverseEntry(entity, ref, (code, key) =>
    reads.add(catalogRead(code, key)),
  );
  return [...reads];
}

/** A reverse lookup of `map` that notes each read for the evaluation running (`catalogReads`). */
function listLookup(
  code: ListReadCode,
  map: Map<string, string[]>,
): (ref: string) => readonly string[] {
  return ref => {
    noteCatalogRead(code, ref);
    return map.get(ref) ?? EMPTY;
  };
}

/** Indexes a catalog snapshot; build it once per snapshot refresh, not per evaluation. */
export function indexCatalog(snapshot: CatalogSnapshot): CatalogIndex {
  const byRef = new Map<string, Entity>();
  const lists: Record<ListReadCode, Map<string, string[]>> = {
    d: new Map(),
    c: new Map(),
    p: new Map(),
    m: new Map(),
    k: new Map(),
  };
  const parents = new Map<string, string>();

  for (const entity of snapshot.entities) {
    const ref = entityRefOf(entity);
    byRef.set(ref, entity);
    forEachReverseEntry(entity, ref, (code, key, value) => {
      if (code === 'a') parents.set(key, value);
      else push(lists[code], key, value);
    });
  }

  const memo: CatalogMemo = {
    chains: new DepthRefMemo(),
    owners: new Map(),
    lifecycles: new Map(),
    memberCounts: new DepthRefMemo(),
    chainRoutes: new DepthRefMemo(),
    entities: snapshot.entities,
  };
  const index: CatalogIndex & { [MEMO]: CatalogMemo } = {
    [MEMO]: memo,
    refreshedAt: snapshot.refreshedAt,
    refreshedAtMs: Date.parse(snapshot.refreshedAt),
    // Every lookup is noted for the evaluation running, if one collects its reads.
    get: ref => {
      noteCatalogRead('g', ref);
      return byRef.get(ref);
    },
    dependentsOf: listLookup('d', lists.d),
    consumersOfApi: listLookup('c', lists.c),
    providersOfApi: listLookup('p', lists.p),
    membersOf: listLookup('m', lists.m),
    childGroupsOf: listLookup('k', lists.k),
    parentOf: ref => {
      noteCatalogRead('a', ref);
      return parents.get(ref) ?? null;
    },
  };
  return index;
}

/**
 * The same index, read again at `refreshedAt` with nothing changed: its lookups and its memo
 * are shared, so a refresh that found no change neither rebuilds the index nor works out the
 * memo's answers again; only the snapshot's age (SR23) starts over.
 */
export function withRefreshedAt(
  index: CatalogIndex,
  refreshedAt: string,
): CatalogIndex {
  // The spread keeps the memo, a symbol-keyed own property.
  return { ...index, refreshedAt, refreshedAtMs: Date.parse(refreshedAt) };
}
