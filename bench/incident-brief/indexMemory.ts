/**
 * Memory of the graph index per entity, the way production holds it: the catalog arrives as JSON
 * pages (as from the paged catalog read), which are parsed and built into the index inside the
 * measured window; the parsed entities are then dropped, so every string the index keeps (refs,
 * titles, owners, …) is counted, and nothing else of the input. `global.gc` runs before and
 * after; the delta counts the JS heap (`heapUsed`) AND the typed arrays' backing stores
 * (`arrayBuffers`, outside the heap), which hold the CSR adjacency and the node/edge columns.
 * Titles are reported apart (estimated as V8 one-byte strings: 16-byte header + characters,
 * 8-byte aligned), since the spec's ≤ 1 KB target excludes them.
 *
 *   node --expose-gc --require @backstage/cli/config/nodeTransform.cjs \
 *     bench/incident-brief/indexMemory.ts [--entities <n>] [--module <path to a buildGraphIndex module>] [--store]
 *
 * `--store` also measures the backend's `GraphIndexStore` after a full sync (the index plus the
 * etags, alias map and alias signature the store keeps for its incremental passes).
 *
 * `--module` measures another implementation on the same catalog, e.g. the previous commit's
 * (`git archive HEAD plugins/incident-brief-common/src | tar -x -C /tmp/orig`, then
 * `--module /tmp/orig/plugins/incident-brief-common/src/graph/buildGraphIndex.ts` with
 * /tmp/orig/node_modules linked to the repository's).
 */
import { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { EvidenceService } from '@internal/plugin-evidence-node';
import { GraphIndexStore } from '../../plugins/incident-brief-backend/src/graph/GraphIndexStore';
import { syntheticCatalog } from './syntheticCatalog';
import { loadAverage } from '../machine';

type Build =
  typeof import('@internal/plugin-incident-brief-common').buildGraphIndex;

export interface IndexMemory {
  nodes: number;
  buildMs: number;
  heapPerEntity: number;
  buffersPerEntity: number;
  titlesPerEntity: number;
}

/** JSON pages of 500 entities, as the catalog's paged read delivers them. */
export function toPages(entities: Entity[]): string[] {
  const pages: string[] = [];
  for (let i = 0; i < entities.length; i += 500) {
    pages.push(JSON.stringify(entities.slice(i, i + 500)));
  }
  return pages;
}

export function measureIndexMemory(
  buildGraphIndex: Build,
  pages: string[],
  runs = 2,
): IndexMemory[] {
  const gc = (global as any).gc as (() => void) | undefined;
  if (!gc) throw new Error('run with --expose-gc');
  const asOf = { catalog: new Date().toISOString(), observedEdges: '' };
  const out: IndexMemory[] = [];
  for (let run = 0; run < runs; run++) {
    gc();
    gc();
    const before = process.memoryUsage();
    const t = performance.now();
    let entities: Entity[] | undefined = pages.flatMap(
      p => JSON.parse(p) as Entity[],
    );
    let index: ReturnType<Build> | undefined = buildGraphIndex({
      entities,
      observedEdges: [],
      asOf,
    });
    const buildMs = performance.now() - t;
    entities = undefined;
    gc();
    gc();
    const after = process.memoryUsage();
    const nodes = index.nodeCount;
    let titles = 0;
    for (let id = 0; id < nodes; id++) {
      titles += (16 + index.node(id, 0).title.length + 7) & ~7;
    }
    out.push({
      nodes,
      buildMs,
      heapPerEntity: (after.heapUsed - before.heapUsed) / nodes,
      buffersPerEntity: (after.arrayBuffers - before.arrayBuffers) / nodes,
      titlesPerEntity: titles / nodes,
    });
    index = undefined;
  }
  return out;
}

/**
 * The same for the backend's whole `GraphIndexStore` after a full sync: the index plus what the
 * store keeps beside it (etag per ref for the incremental scan, the alias map and its signature),
 * fed by a catalog service that parses one JSON page per `queryEntities` call.
 */
export async function measureStoreMemory(
  pages: string[],
  // one run per process: a second run's baseline still held parts of the first store
  runs = 1,
): Promise<IndexMemory[]> {
  const gc = (global as any).gc as (() => void) | undefined;
  if (!gc) throw new Error('run with --expose-gc');
  const total = pages.length * 500;
  const catalog = {
    async queryEntities(request: { cursor?: string }) {
      const page = request.cursor ? Number(request.cursor) : 0;
      return {
        items: JSON.parse(pages[page]) as Entity[],
        totalItems: total,
        pageInfo:
          page + 1 < pages.length ? { nextCursor: String(page + 1) } : {},
      };
    },
  } as Partial<CatalogService> as CatalogService;
  const evidence = {
    async edgeChanges() {
      return {
        available: true,
        asOf: new Date().toISOString(),
        data: {
          edges: [],
          removed: [],
          cursor: 'c0',
          hasMore: false,
          reset: false,
        },
      };
    },
  } as Partial<EvidenceService> as EvidenceService;
  const noop = () => {};
  const logger: any = { info: noop, warn: noop, error: noop, debug: noop };
  logger.child = () => logger;
  const out: IndexMemory[] = [];
  for (let run = 0; run < runs; run++) {
    gc();
    gc();
    const before = process.memoryUsage();
    const t = performance.now();
    let store: GraphIndexStore | undefined = new GraphIndexStore({
      catalog,
      auth: { getOwnServiceCredentials: async () => ({}) } as any,
      evidence,
      logger,
      graph: {},
      fullSyncIntervalMs: 600_000,
    });
    await store.fullSync();
    const buildMs = performance.now() - t;
    gc();
    gc();
    const after = process.memoryUsage();
    const index = await store.current();
    const nodes = index.nodeCount;
    let titles = 0;
    for (let id = 0; id < nodes; id++) {
      titles += (16 + index.titleOf(id).length + 7) & ~7;
    }
    out.push({
      nodes,
      buildMs,
      heapPerEntity: (after.heapUsed - before.heapUsed) / nodes,
      buffersPerEntity: (after.arrayBuffers - before.arrayBuffers) / nodes,
      titlesPerEntity: titles / nodes,
    });
    store = undefined;
  }
  return out;
}

export function formatIndexMemory(r: IndexMemory): string {
  const total = r.heapPerEntity + r.buffersPerEntity;
  return `${r.nodes} nodes, build ${r.buildMs.toFixed(
    0,
  )} ms (JSON parse included), heap ${r.heapPerEntity.toFixed(
    0,
  )} B + typed arrays ${r.buffersPerEntity.toFixed(0)} B = ${total.toFixed(
    0,
  )} B/entity, of which titles ≈ ${r.titlesPerEntity.toFixed(0)} B → ${(
    total - r.titlesPerEntity
  ).toFixed(0)} B/entity excluding titles (target ≤ 1,024 B: ${
    total - r.titlesPerEntity <= 1024 ? 'MET' : 'MISSED'
  })`;
}

if (require.main === module) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const n = Number(arg('entities') ?? 100_000);
  const module = arg('module') ?? '@internal/plugin-incident-brief-common';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildGraphIndex } = require(module) as { buildGraphIndex: Build };
  const pages = toPages(syntheticCatalog(n));
  for (const r of measureIndexMemory(buildGraphIndex, pages)) {
    console.log(
      `RESULT index memory (${module}): ${formatIndexMemory(
        r,
      )}, load ${loadAverage()}`,
    );
  }
  if (process.argv.includes('--store')) {
    measureStoreMemory(pages).then(results => {
      for (const r of results) {
        console.log(
          `RESULT GraphIndexStore memory after a full sync: ${formatIndexMemory(
            r,
          )}, load ${loadAverage()}`,
        );
      }
    });
  }
}
