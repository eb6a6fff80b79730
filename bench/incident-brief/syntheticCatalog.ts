import { Entity } from '@backstage/catalog-model';

/** Declared dependencies per entity (edges = 3·N). */
export const EDGES_PER_ENTITY = 3;

/** Small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const kindOf = (i: number) => (i % 20 < 17 ? 'component' : 'resource');
export const refOf = (i: number) => `${kindOf(i)}:default/svc-${i}`;

/**
 * How the dependency targets of a synthetic catalog are picked:
 * - `uniform`: every entity equally likely, so the number of dependents is Poisson around 3 and
 *   there are no shared services (the largest 3-hop radius of 100,000 entities is ~200);
 * - `heavy-tailed`: half of the edges pick their target in proportion to the dependents it
 *   already has (preferential attachment), the other half uniformly, so a few entities gather
 *   hundreds or thousands of dependents — the shared databases, identity and messaging
 *   services of a real estate, and the 10,000-dependent root of the spec's vector R6 — while
 *   most stay leaves.
 */
export type GraphShape = 'uniform' | 'heavy-tailed';
/** Share of a heavy-tailed catalog's edges whose target is picked by preferential attachment. */
export const PREFERENTIAL_SHARE = 0.5;

/**
 * N entities (85 % Component, 15 % Resource) and 3·N `dependsOn` edges between random pairs
 * (deterministic seed; only Components declare dependencies), targets picked as `shape` says.
 *
 * `withRelations: true` (the stub catalog) adds what the catalog's processing and stitching would:
 * `uid`, `etag` and both relation sides (`dependsOn` on the dependent, `dependencyOf` on the
 * dependency), `ownedBy`, `partOf`. `withRelations: false` gives what an entity provider hands the
 * real catalog, which computes all of that itself.
 */
export function syntheticCatalog(
  n: number,
  { seed = 7, withRelations = true, shape = 'uniform' as GraphShape } = {},
): Entity[] {
  const rnd = prng(seed);
  const dependsOn: number[][] = Array.from({ length: n }, () => []);
  const dependencyOf: number[][] = Array.from({ length: n }, () => []);
  // every edge's target so far: a uniform pick from it is a pick in proportion to dependents
  const targets = new Int32Array(n * EDGES_PER_ENTITY);
  let edges = 0;
  while (edges < n * EDGES_PER_ENTITY) {
    let from = Math.floor(rnd() * n);
    // only components declare dependencies
    while (kindOf(from) !== 'component') from = (from + 1) % n;
    const to =
      shape === 'heavy-tailed' && edges > 0 && rnd() < PREFERENTIAL_SHARE
        ? targets[Math.floor(rnd() * edges)]
        : Math.floor(rnd() * n);
    if (to === from || dependsOn[from].includes(to)) continue;
    dependsOn[from].push(to);
    dependencyOf[to].push(from);
    targets[edges++] = to;
  }
  const entities: Entity[] = [];
  for (let i = 0; i < n; i++) {
    const kind = kindOf(i);
    const owner = `group:default/team-${i % 500}`;
    const system = `system:default/system-${i % 2000}`;
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: kind === 'component' ? 'Component' : 'Resource',
      metadata: {
        name: `svc-${i}`,
        namespace: 'default',
        ...(withRelations ? { uid: `uid-${i}`, etag: `etag-${i}` } : {}),
        title: `Service ${i}`,
        labels: {
          'ops.example.com/tier': String((i % 3) + 1),
          'ops.example.com/customer-facing': i % 4 === 0 ? 'true' : 'false',
        },
        annotations: { 'ops.example.com/aliases': `svc${i}` },
      },
      spec: {
        type: kind === 'component' ? 'service' : 'database',
        lifecycle: 'production',
        owner,
        system,
        ...(dependsOn[i].length ? { dependsOn: dependsOn[i].map(refOf) } : {}),
      },
      ...(withRelations
        ? {
            relations: [
              { type: 'ownedBy', targetRef: owner },
              { type: 'partOf', targetRef: system },
              ...dependsOn[i].map(j => ({
                type: 'dependsOn',
                targetRef: refOf(j),
              })),
              ...dependencyOf[i].map(j => ({
                type: 'dependencyOf',
                targetRef: refOf(j),
              })),
            ],
          }
        : {}),
    });
  }
  return entities;
}

/**
 * The `count` most-depended-on entities of a synthetic catalog: the roots with the largest
 * `hops`-hop blast radius (dependents reached through `dependsOn`, transitively), largest first,
 * ties by index. These are the shared databases and platform services an incident commander
 * looks at, as opposed to random roots (mostly leaves with a radius of ~37–40 at 3 hops).
 * Computed from `spec.dependsOn` only, so it works with and without relations.
 */
export function mostDependedOn(
  entities: Entity[],
  count: number,
  hops: number,
): { ref: string; impacted: number }[] {
  const n = entities.length;
  const index = (ref: string) => Number(ref.slice(ref.lastIndexOf('svc-') + 4));
  const dependents: number[][] = Array.from({ length: n }, () => []);
  entities.forEach((e, i) => {
    for (const to of ((e.spec as any)?.dependsOn ?? []) as string[])
      dependents[index(to)].push(i);
  });
  const hop = new Int32Array(n).fill(-1);
  const radius = new Int32Array(n);
  const queue = new Int32Array(n);
  for (let root = 0; root < n; root++) {
    let head = 0;
    let tail = 0;
    const seen: number[] = [root];
    hop[root] = 0;
    queue[tail++] = root;
    while (head < tail) {
      const u = queue[head++];
      if (hop[u] === hops) continue;
      for (const v of dependents[u]) {
        if (hop[v] >= 0) continue;
        hop[v] = hop[u] + 1;
        seen.push(v);
        queue[tail++] = v;
      }
    }
    radius[root] = seen.length - 1;
    for (const v of seen) hop[v] = -1;
  }
  return Array.from({ length: n }, (_, i) => i)
    .sort((a, b) => radius[b] - radius[a] || a - b)
    .slice(0, count)
    .map(i => ({ ref: refOf(i), impacted: radius[i] }));
}

/**
 * Dependency trees with a known blast radius, one per branching factor `b`: a root
 * `hub-b` with `b` direct dependents, each with `b` dependents, each with `b` more, so its 3-hop
 * radius is b + b² + b³ (4 → 84, 9 → 819, 10 → 1,110, 21 → 9,723). Entities carry both relation
 * sides, as the stub catalog does. For the graph view benchmark, which needs radii around the
 * graph's 1,000-node page.
 */
export function fanInCatalog(branchings: readonly number[]): {
  entities: Entity[];
  hubs: { ref: string; radius: number }[];
} {
  const entities: Entity[] = [];
  const hubs: { ref: string; radius: number }[] = [];
  let n = 0;
  const add = (name: string, parent: string | null, children: string[]) => {
    const i = n++;
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        namespace: 'default',
        uid: `uid-${name}`,
        etag: `etag-${name}`,
        labels: {
          'ops.example.com/tier': String((i % 3) + 1),
          'ops.example.com/customer-facing': i % 4 === 0 ? 'true' : 'false',
        },
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: `group:default/team-${i % 50}`,
        ...(parent ? { dependsOn: [parent] } : {}),
      },
      relations: [
        { type: 'ownedBy', targetRef: `group:default/team-${i % 50}` },
        ...(parent ? [{ type: 'dependsOn', targetRef: parent }] : []),
        ...children.map(c => ({ type: 'dependencyOf', targetRef: c })),
      ],
    });
  };
  for (const b of branchings) {
    const ref = (name: string) => `component:default/${name}`;
    const hub = `hub-${b}`;
    const childrenOf = (name: string) =>
      Array.from({ length: b }, (_, k) => `${name}-${k}`);
    add(hub, null, childrenOf(hub).map(ref));
    for (const l1 of childrenOf(hub)) {
      add(l1, ref(hub), childrenOf(l1).map(ref));
      for (const l2 of childrenOf(l1)) {
        add(l2, ref(l1), childrenOf(l2).map(ref));
        for (const l3 of childrenOf(l2)) add(l3, ref(l2), []);
      }
    }
    hubs.push({ ref: ref(hub), radius: b + b * b + b * b * b });
  }
  return { entities, hubs };
}
