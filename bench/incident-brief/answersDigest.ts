/**
 * Digest of the graph index's answers, to show that a change to the index's storage gives
 * identical results: full `computeBlastRadius` JSON (both directions, every edge filter) for
 * roots of the demo catalog (observed edges, APIs, systems, drift) and of the synthetic catalog,
 * every node record and every logical edge, before and after incremental edits and compaction.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/incident-brief/answersDigest.ts [--entities <n>]
 */
import {
  buildGraphIndex,
  computeBlastRadius,
  GraphIndex,
} from '@internal/plugin-incident-brief-common';
import { createHash } from 'node:crypto';
import {
  demoEntities,
  demoObservedEdges,
  T,
} from '../../plugins/incident-brief-common/src/__fixtures__/demoCatalog';
import { prng, refOf, syntheticCatalog } from './syntheticCatalog';

const i = process.argv.indexOf('--entities');
const N = i >= 0 ? Number(process.argv[i + 1]) : 20_000;

function digestOf(
  label: string,
  index: GraphIndex,
  roots: string[],
  now: string,
) {
  const hash = createHash('sha256');
  const nowMs = Date.parse(now);
  for (const root of roots) {
    for (const direction of ['dependents', 'dependencies'] as const) {
      for (const edges of ['all', 'declared', 'observed'] as const) {
        for (const includeStale of [true, false]) {
          for (const hops of [0, 1, 3, 4]) {
            let cursor: string | undefined;
            do {
              let out: unknown;
              try {
                out = computeBlastRadius(
                  index,
                  [root],
                  { hops, direction, edges, includeStale, limit: 50, cursor },
                  now,
                );
              } catch (e) {
                out = String(e);
              }
              hash.update(JSON.stringify(out));
              cursor = (out as any)?.nextCursor;
            } while (cursor);
          }
        }
      }
    }
  }
  const refs: string[] = [];
  for (let id = 0; id < index.nodeCount; id++) {
    hash.update(JSON.stringify(index.node(id, nowMs)));
    hash.update(JSON.stringify(index.unmappedOf(id)));
    refs.push(JSON.stringify([id, index.inCatalog(id), index.isApi(id)]));
  }
  hash.update(refs.join());
  hash.update(JSON.stringify(index.logicalEdges(nowMs)));
  hash.update(JSON.stringify(index.aliasConflicts));
  console.log(`${label}: ${hash.digest('hex').slice(0, 16)}`);
}

// demo catalog: every root kind, observed edges, async resources, APIs
const demo = buildGraphIndex({
  entities: demoEntities(),
  observedEdges: demoObservedEdges(),
  asOf: { catalog: T, observedEdges: T },
});
const demoRoots: string[] = [];
for (let id = 0; id < demo.nodeCount; id++) {
  const ref = demo.node(id, Date.parse(T)).ref;
  if (demo.inCatalog(id)) demoRoots.push(ref);
}
demoRoots.push('group:default/checkout-team', 'component:default/nope');
digestOf('demo', demo, demoRoots, T);
digestOf('demo +40 d', demo, demoRoots, '2026-04-23T02:05:00.000Z');
// demo, incremental: re-upsert every entity in reverse order, remove one, re-add it
const entities = demoEntities();
for (const e of [...entities].reverse()) demo.upsertEntity(e);
digestOf('demo re-upserted', demo, demoRoots, T);
const victim = entities.find(e => e.metadata.name === 'inventory-service')!;
demo.removeEntity('component:default/inventory-service');
digestOf('demo removed inventory-service', demo, demoRoots, T);
demo.upsertEntity(victim);
digestOf('demo re-added', demo, demoRoots, T);
demo.compact();
digestOf('demo compacted', demo, demoRoots, T);

// synthetic catalog
const synthetic = syntheticCatalog(N);
const index = buildGraphIndex({
  entities: synthetic,
  observedEdges: [],
  asOf: { catalog: T, observedEdges: '' },
});
const rnd = prng(3);
const roots = Array.from({ length: 40 }, () => refOf(Math.floor(rnd() * N)));
digestOf(`synthetic ${N}`, index, roots, T);
// incremental edits: every 50th entity loses its dependencies, every 70th is removed
for (let k = 0; k < N; k += 50) {
  const e = synthetic[k];
  index.upsertEntity({
    ...e,
    spec: { ...e.spec, dependsOn: [] },
    relations: e.relations!.filter(r => r.type !== 'dependsOn'),
  });
}
for (let k = 0; k < N; k += 70) index.removeEntity(refOf(k));
digestOf(`synthetic ${N} edited`, index, roots, T);
index.compact();
digestOf(`synthetic ${N} edited, compacted`, index, roots, T);
for (let k = 0; k < N; k += 70) index.upsertEntity(synthetic[k]);
digestOf(`synthetic ${N} re-added`, index, roots, T);
