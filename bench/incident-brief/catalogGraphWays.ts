import { CatalogClient } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';

/** catalog-graph's `useEntityStore` limiter: ten requests in flight. */
const IN_FLIGHT = 10;

/**
 * catalog-graph's frontend traversal as the spec describes it (§9: "requests entities from the
 * catalog API one at a time (ten in flight) as each level is discovered"): BFS level by level from
 * the root, every entity of a level fetched with `getEntityByName` (GET
 * /entities/by-name/:kind/:ns/:name) through a p-limit(10), following `dependencyOf`, up to
 * `maxDepth`; the last level is fetched too (catalog-graph fetches it to draw it).
 */
export async function catalogGraphOneByOne(
  client: CatalogClient,
  root: string,
  maxDepth: number,
  token?: string,
): Promise<{ impacted: Set<string>; requests: number }> {
  const entities = new Map<string, Entity>();
  const processed = new Set<string>();
  let requests = 0;
  let level = [root];
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
    const queue = level.filter(r => !entities.has(r));
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(IN_FLIGHT, queue.length) }, async () => {
        while (next < queue.length) {
          const ref = queue[next++];
          const [kind, rest] = ref.split(':');
          const [namespace, name] = rest.split('/');
          requests++;
          const entity = await client.getEntityByName(
            { kind, namespace, name },
            token ? { token } : undefined,
          );
          if (entity) entities.set(ref, entity);
        }
      }),
    );
    if (depth === maxDepth) break;
    const nextLevel: string[] = [];
    const inNext = new Set<string>();
    for (const ref of level) {
      processed.add(ref);
      for (const rel of entities.get(ref)?.relations ?? []) {
        if (rel.type !== 'dependencyOf') continue;
        if (!processed.has(rel.targetRef) && !inNext.has(rel.targetRef)) {
          inNext.add(rel.targetRef);
          nextLevel.push(rel.targetRef);
        }
      }
    }
    level = nextLevel.filter(r => !entities.has(r));
  }
  const impacted = new Set(entities.keys());
  impacted.delete(root);
  return { impacted, requests };
}

/**
 * The frontend of the catalog-graph version installed here (0.6.10, `useEntityRelationGraph` +
 * `useEntityStore`): on every render it walks the entities it has to `maxDepth` and asks for
 * all refs it has not cached yet in ONE `getEntitiesByRefs` call (POST /entities/by-refs); each
 * answer reveals one more level, so a radius of depth d takes d + 1 batched requests.
 */
export async function catalogGraphBatched(
  client: CatalogClient,
  root: string,
  maxDepth: number,
  token?: string,
): Promise<{ impacted: Set<string>; requests: number }> {
  const cached = new Map<string, Entity>();
  const requested = new Set<string>();
  let requests = 0;
  for (;;) {
    // the effect of useEntityRelationGraph: expected refs from what is cached
    const expected = new Set<string>([root]);
    const processed = new Set<string>();
    let queue = [root];
    for (let depth = 0; queue.length > 0 && depth < maxDepth; depth++) {
      const current = queue;
      queue = [];
      for (const ref of current) {
        processed.add(ref);
        for (const rel of cached.get(ref)?.relations ?? []) {
          if (rel.type === 'dependencyOf' && !processed.has(rel.targetRef)) {
            queue.push(rel.targetRef);
            expected.add(rel.targetRef);
          }
        }
      }
    }
    // useEntityStore: fetch what is not cached (never the same ref twice here)
    const missing = [...expected].filter(
      r => !cached.has(r) && !requested.has(r),
    );
    if (missing.length === 0) break;
    missing.forEach(r => requested.add(r));
    requests++;
    const { items } = await client.getEntitiesByRefs(
      { entityRefs: missing },
      token ? { token } : undefined,
    );
    for (const entity of items) {
      if (entity) cached.set(stringifyEntityRef(entity), entity);
    }
  }
  const impacted = new Set(cached.keys());
  impacted.delete(root);
  return { impacted, requests };
}
