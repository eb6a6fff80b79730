/**
 * Blast radius through the API (incident-brief §3.4, issue D item 6).
 *
 * Synthetic catalog: N entities (85 % Component, 15 % Resource) and 3·N `dependsOn` edges
 * between random pairs (deterministic seed), stored with both relation sides (`dependsOn` on
 * the dependent, `dependencyOf` on the dependency) the way the catalog's stitcher returns them.
 *
 * 1. Index memory: heap used before/after `buildGraphIndex` (with `global.gc`), per node.
 * 2. Ours: the real incident-brief backend plugin (`startTestBackend`, catalog mock holding the
 *    synthetic catalog, fake evidence with no observed edges, permissions allowing), index built
 *    by a warm-up request; then `GET /api/incident-brief/entities/:kind/:ns/:name/blast-radius?
 *    hops=3&limit=5000` for R random roots, one at a time, timed by the client (HTTP round trip
 *    on localhost, JSON parse included) → p50/p95/p99.
 * 3. catalog-graph's way, interleaved with ours on a sample of roots: BFS level by level from the
 *    root, every entity of a level fetched with `CatalogClient.getEntityByName` (GET
 *    /entities/by-name/:kind/:ns/:name) with at most 10 in flight (catalog-graph's
 *    `useEntityStore` p-limit(10)), following `dependencyOf` relations, up to depth 3 — served
 *    by a local HTTP server holding the same catalog in a Map (no database: a lower bound for a
 *    real catalog, so the ratio is conservative). Both answers must give the same impacted set.
 *
 *   node --expose-gc --require @backstage/cli/config/nodeTransform.cjs \
 *     bench/incident-brief/blastRadius.bench.ts [--quick] [--entities <n>] [--roots <n>] [--sample <n>]
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { CatalogClient } from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  EvidenceService,
  evidenceServiceRef,
} from '@internal/plugin-evidence-node';
import { buildGraphIndex } from '@internal/plugin-incident-brief-common';
import incidentBriefPlugin from '@internal/plugin-incident-brief-backend';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const quick = process.argv.includes('--quick');
const ENTITIES = Number(arg('entities') ?? (quick ? 20_000 : 100_000));
const EDGES_PER_ENTITY = 3;
const ROOTS = Number(arg('roots') ?? (quick ? 300 : 1000));
const SAMPLE = Number(arg('sample') ?? (quick ? 20 : 60));
const HOPS = 3;
const IN_FLIGHT = 10;

const load = () =>
  os
    .loadavg()
    .map(l => l.toFixed(2))
    .join(' / ');

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const kindOf = (i: number) => (i % 20 < 17 ? 'component' : 'resource');
const refOf = (i: number) => `${kindOf(i)}:default/svc-${i}`;

function syntheticCatalog(n: number, seed = 7): Entity[] {
  const rnd = prng(seed);
  const dependsOn: number[][] = Array.from({ length: n }, () => []);
  const dependencyOf: number[][] = Array.from({ length: n }, () => []);
  let edges = 0;
  while (edges < n * EDGES_PER_ENTITY) {
    let from = Math.floor(rnd() * n);
    // only components declare dependencies
    while (kindOf(from) !== 'component') from = (from + 1) % n;
    const to = Math.floor(rnd() * n);
    if (to === from || dependsOn[from].includes(to)) continue;
    dependsOn[from].push(to);
    dependencyOf[to].push(from);
    edges++;
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
        uid: `uid-${i}`,
        etag: `etag-${i}`,
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
      relations: [
        { type: 'ownedBy', targetRef: owner },
        { type: 'partOf', targetRef: system },
        ...dependsOn[i].map(j => ({ type: 'dependsOn', targetRef: refOf(j) })),
        ...dependencyOf[i].map(j => ({
          type: 'dependencyOf',
          targetRef: refOf(j),
        })),
      ],
    });
  }
  return entities;
}

function percentile(sorted: number[], p: number): number {
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

/** A catalog API serving the same entities by name (what catalog-graph's frontend calls). */
async function startCatalogServer(entities: Entity[]) {
  const byPath = new Map<string, Entity>();
  for (const e of entities)
    byPath.set(
      `/api/catalog/entities/by-name/${e.kind.toLocaleLowerCase(
        'en-US',
      )}/default/${e.metadata.name}`,
      e,
    );
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    const url = decodeURIComponent(
      (req.url ?? '').split('?')[0],
    ).toLocaleLowerCase('en-US');
    const entity = byPath.get(url);
    if (!entity) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":{"name":"NotFoundError"}}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(entity));
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/catalog`,
    requests: () => requests,
    close: () => new Promise<void>(r => server.close(() => r())),
  };
}

/** catalog-graph's frontend traversal: level by level, entity by entity, ≤ 10 in flight. */
async function catalogGraphWay(
  client: CatalogClient,
  root: string,
  maxDepth: number,
): Promise<Set<string>> {
  const entities = new Map<string, Entity>();
  const processed = new Set<string>();
  let level = [root];
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
    // fetch this level (catalog-graph also fetches the last level, to draw it)
    const queue = level.filter(r => !entities.has(r));
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(IN_FLIGHT, queue.length) }, async () => {
        while (next < queue.length) {
          const ref = queue[next++];
          const [kind, rest] = ref.split(':');
          const [namespace, name] = rest.split('/');
          const entity = await client.getEntityByName({
            kind,
            namespace,
            name,
          });
          if (entity) entities.set(ref, entity);
        }
      }),
    );
    if (depth === maxDepth) break;
    const nextLevel: string[] = [];
    for (const ref of level) {
      processed.add(ref);
      for (const rel of entities.get(ref)?.relations ?? []) {
        if (rel.type !== 'dependencyOf') continue;
        if (!processed.has(rel.targetRef) && !nextLevel.includes(rel.targetRef))
          nextLevel.push(rel.targetRef);
      }
    }
    level = nextLevel.filter(r => !entities.has(r));
  }
  const impacted = new Set(entities.keys());
  impacted.delete(root);
  return impacted;
}

/**
 * The catalog reads the index store makes (paged `queryEntities`, `getEntitiesByRefs`), over an
 * array. catalogServiceMock filters and sorts the whole catalog on every page, which at 100,000
 * entities takes minutes and would only time the mock.
 */
function pagedCatalog(entities: Entity[]): CatalogService {
  const byRef = new Map(
    entities.map(e => [
      `${e.kind}:default/${e.metadata.name}`.toLocaleLowerCase('en-US'),
      e,
    ]),
  );
  return {
    async queryEntities(request: any) {
      const offset = request?.cursor ? Number(request.cursor) : 0;
      const limit = request?.limit ?? 500;
      const items = entities.slice(offset, offset + limit);
      const next = offset + limit;
      return {
        items,
        totalItems: entities.length,
        pageInfo: next < entities.length ? { nextCursor: String(next) } : {},
      };
    },
    async getEntitiesByRefs(request: { entityRefs: string[] }) {
      return {
        items: request.entityRefs.map(r =>
          byRef.get(r.toLocaleLowerCase('en-US')),
        ),
      };
    },
  } as Partial<CatalogService> as CatalogService;
}

function fakeEvidence(): EvidenceService {
  const now = () => new Date().toISOString();
  return {
    async readEntities(refs: string[]) {
      return {
        available: true,
        asOf: now(),
        data: new Map(refs.map(r => [r, { facts: [], collection: [] }])),
      };
    },
    async queryChanges() {
      return { available: true, asOf: now(), data: [] };
    },
    async observedEdges() {
      return { available: true, asOf: now(), data: [] };
    },
    async edgeChanges() {
      return {
        available: true,
        asOf: now(),
        data: { edges: [], removed: [], cursor: 'c0', reset: false },
      };
    },
    async sourceHealth() {
      return { available: true, asOf: now(), data: [] };
    },
  } as Partial<EvidenceService> as EvidenceService;
}

async function main() {
  const gc = (global as any).gc as (() => void) | undefined;
  console.log(
    `machine: ${os.cpus().length} CPU (${os.cpus()[0]?.model}), Node ${
      process.version
    }, load average ${load()} (1/5/15 min)`,
  );
  let t = performance.now();
  const entities = syntheticCatalog(ENTITIES);
  const edgeCount = entities.reduce(
    (n, e) => n + ((e.spec as any).dependsOn?.length ?? 0),
    0,
  );
  console.log(
    `catalog: ${
      entities.length
    } entities, ${edgeCount} dependsOn edges (generated in ${(
      performance.now() - t
    ).toFixed(0)} ms)`,
  );

  // 1. index memory
  if (!gc) console.log('memory: run with --expose-gc to measure');
  else {
    const asOf = { catalog: new Date().toISOString(), observedEdges: '' };
    for (let run = 1; run <= 2; run++) {
      gc();
      gc();
      const before = process.memoryUsage().heapUsed;
      t = performance.now();
      let index: ReturnType<typeof buildGraphIndex> | undefined =
        buildGraphIndex({ entities, observedEdges: [], asOf });
      const buildMs = performance.now() - t;
      gc();
      gc();
      const after = process.memoryUsage().heapUsed;
      const titles = index.nodes.reduce(
        (n, node) => n + 12 + 2 * node.title.length,
        0,
      );
      console.log(
        `memory run ${run}: index build ${buildMs.toFixed(0)} ms, ${
          index.nodeCount
        } nodes, heap +${((after - before) / 1048576).toFixed(1)} MB = ${(
          (after - before) /
          index.nodeCount
        ).toFixed(0)} B/entity (titles ≈ ${(titles / index.nodeCount).toFixed(
          0,
        )} B/entity of that), load ${load()}`,
      );
      index = undefined;
    }
  }

  // 2. the backend
  const catalog = await startCatalogServer(entities);
  const backend = await startTestBackend({
    features: [
      incidentBriefPlugin,
      createServiceFactory({
        service: evidenceServiceRef,
        deps: {},
        factory: fakeEvidence,
      }),
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () => pagedCatalog(entities),
      }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}/api/incident-brief/entities`;
  const headers = { authorization: mockCredentials.user.header() };
  const ours = async (ref: string) => {
    const [kind, rest] = ref.split(':');
    const res = await fetch(
      `${base}/${kind}/${rest}/blast-radius?hops=${HOPS}&limit=5000`,
      { headers },
    );
    if (res.status !== 200)
      throw new Error(`${ref}: ${res.status} ${await res.text()}`);
    return (await res.json()) as {
      impacted: { ref: string }[];
      truncated: boolean;
      counts: { total: number };
    };
  };
  const client = new CatalogClient({
    discoveryApi: { getBaseUrl: async () => catalog.baseUrl },
  });

  try {
    const rnd = prng(99);
    const roots = Array.from({ length: ROOTS }, () =>
      refOf(Math.floor(rnd() * ENTITIES)),
    );
    t = performance.now();
    await ours(roots[0]);
    console.log(
      `first request after start-up (index built from a paged catalog read): ${(
        performance.now() - t
      ).toFixed(0)} ms`,
    );
    for (let i = 0; i < 50; i++) await ours(roots[i % roots.length]); // JIT warm-up

    for (let run = 1; run <= 2; run++) {
      const times: number[] = [];
      let sizes = 0;
      for (const root of roots) {
        const s = performance.now();
        const r = await ours(root);
        times.push(performance.now() - s);
        sizes += r.counts.total;
      }
      times.sort((a, b) => a - b);
      console.log(
        `RESULT ours run ${run}: ${
          roots.length
        } roots, hops ${HOPS}, mean impacted ${(sizes / roots.length).toFixed(
          1,
        )}: p50 ${percentile(times, 50).toFixed(2)} ms, p95 ${percentile(
          times,
          95,
        ).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(
          2,
        )} ms, max ${times[times.length - 1].toFixed(
          2,
        )} ms (target p95 < 20 ms: ${
          percentile(times, 95) < 20 ? 'MET' : 'MISSED'
        }), load ${load()}`,
      );
    }

    // 3. interleaved comparison on a sample
    for (let run = 1; run <= 2; run++) {
      const ratios: number[] = [];
      let oursTotal = 0;
      let theirsTotal = 0;
      let mismatches = 0;
      const requestsBefore = catalog.requests();
      for (let i = 0; i < SAMPLE; i++) {
        const root = roots[(run - 1) * SAMPLE + i];
        let s = performance.now();
        const a = await ours(root);
        const oursMs = performance.now() - s;
        s = performance.now();
        const b = await catalogGraphWay(client, root, HOPS);
        const theirsMs = performance.now() - s;
        oursTotal += oursMs;
        theirsTotal += theirsMs;
        ratios.push(theirsMs / oursMs);
        const setA = new Set(a.impacted.map(x => x.ref));
        if (
          a.truncated ||
          setA.size !== b.size ||
          [...b].some(r => !setA.has(r))
        ) {
          mismatches++;
          if (mismatches <= 3)
            console.log(
              `  MISMATCH ${root}: ours ${setA.size}, catalog-graph ${b.size}`,
            );
        }
      }
      ratios.sort((x, y) => x - y);
      console.log(
        `RESULT comparison run ${run}: ${SAMPLE} roots interleaved; ours mean ${(
          oursTotal / SAMPLE
        ).toFixed(2)} ms, catalog-graph way mean ${(
          theirsTotal / SAMPLE
        ).toFixed(1)} ms (${(
          (catalog.requests() - requestsBefore) /
          SAMPLE
        ).toFixed(1)} requests/root); ratio of means ${(
          theirsTotal / oursTotal
        ).toFixed(0)}×, per-root ratio p50 ${percentile(ratios, 50).toFixed(
          0,
        )}× min ${ratios[0].toFixed(1)}× (target ≥ 100×: ${
          theirsTotal / oursTotal >= 100 ? 'MET' : 'MISSED'
        }); same impacted set: ${
          SAMPLE - mismatches
        }/${SAMPLE}, load ${load()}`,
      );
    }
  } finally {
    await backend.stop();
    await catalog.close();
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
