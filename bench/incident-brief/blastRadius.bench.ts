/**
 * Blast radius through the API (incident-brief §3.4, issue D item 6).
 *
 * Part A — stub catalog, full size. Synthetic catalog (`syntheticCatalog.ts`): N entities (85 %
 * Component, 15 % Resource) and 3·N `dependsOn` edges between random pairs (deterministic seed),
 * stored with both relation sides the way the catalog's stitcher returns them.
 *  1. Index memory per entity (`indexMemory.ts`): JSON pages parsed and built inside the window,
 *     JS heap plus typed-array backing stores, titles reported apart.
 *  2. Ours: the real incident-brief backend plugin (`startTestBackend`, a paged in-memory catalog
 *     service, fake evidence with no observed edges, mock auth, permissions allowing); `GET
 *     /api/incident-brief/entities/:kind/:ns/:name/blast-radius?hops=3&limit=5000` (`--limit`) for R random
 *     roots, one at a time, timed by the client (HTTP round trip, JSON parse) → p50/p95/p99.
 *  3. catalog-graph's way against a Map-backed HTTP stub (no database, no auth: a lower bound of
 *     a real catalog), interleaved with ours on a sample; same-impacted-set check.
 *  `--shape heavy-tailed` picks half of the edges' targets in proportion to the dependents they
 *  already have (`syntheticCatalog.ts`), so a few shared services gather thousands of dependents.
 *  Steps 2–3 (and 4–5 below) run on two root sets: random roots (mostly leaves, ~37–40 impacted
 *  at 3 hops) and the high-fan-in roots — the --high-roots entities with the largest 3-hop radius
 *  in the synthetic graph (`mostDependedOn`), the shared services an incident commander opens;
 *  their comparison is split in two halves, one per run.
 *
 * Part B — the REAL catalog (`realCatalogBackend.ts`), on the largest size it ingests in the time
 * budget: `@backstage/plugin-catalog-backend` with its database (SQLite in memory, or `--db pg`:
 * a throwaway PostgreSQL on 127.0.0.1:55441), the real auth path (user token from the auth
 * backend's guest provider, validated against its JWKS) and permission path (`permission.enabled`,
 * the permission backend over HTTP, allow-all policy). The same synthetic catalog (without
 * relations) enters through an entity provider's full mutation and is processed and stitched by
 * the catalog; our plugin builds its index from that catalog through `catalogServiceRef`. In the
 * same process, with the same user token:
 *  4. Ours through the real auth/permission path → p50/p95/p99.
 *  5. Interleaved root by root with ours: catalog-graph's frontend traversal one entity at a time
 *     (`getEntityByName`, p-limit 10, level by level — `catalogGraphOneByOne`), and the batched
 *     traversal of the catalog-graph version installed here (one `getEntitiesByRefs` per level —
 *     `catalogGraphBatched`), both through `CatalogClient` against the real catalog API; ratio of
 *     means and same-impacted-set check for each.
 *
 *   node --expose-gc --require @backstage/cli/config/nodeTransform.cjs \
 *     bench/incident-brief/blastRadius.bench.ts [--quick] [--entities <n>] [--roots <n>] [--sample <n>]
 *       [--high-roots <n>] [--real-high-roots <n>]
 *       [--real-entities <n>] [--real-roots <n>] [--real-sample <n>] [--db sqlite|pg]
 *       [--ingest-budget <seconds>]
 *       [--shape uniform|heavy-tailed] [--limit <page size, default 5000>] [--skip-stub] [--skip-real]
 *       [--paths table|shared|inline, comma-separated] (the wire forms ours asks; default table,
 *       as the card's client; several: measured side by side, compared as the first)
 *       [--profile-dir <dir>] (a CPU profile of part B's high-fan-in measurement of ours)
 *       [--no-compression] (part B without production's compression middleware)
 *       [--client node-fetch|undici] (the HTTP client of both sides; default node-fetch)
 */
import { CatalogClient } from '@backstage/catalog-client';
import crossFetch from 'cross-fetch';
import { Entity } from '@backstage/catalog-model';
import {
  BlastRadiusAnswer,
  buildGraphIndex,
  expandPathSteps,
  SharedPathSteps,
  TabulatedRows,
  untabulateRows,
} from '@internal/plugin-incident-brief-common';
import incidentBriefPlugin from '@internal/plugin-incident-brief-backend';
import http from 'node:http';
import { Session } from 'node:inspector/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import { catalogGraphBatched, catalogGraphOneByOne } from './catalogGraphWays';
import { formatIndexMemory, measureIndexMemory, toPages } from './indexMemory';
import { startRealCatalogBackend } from './realCatalogBackend';
import {
  GraphShape,
  mostDependedOn,
  prng,
  refOf,
  syntheticCatalog,
} from './syntheticCatalog';
import { arg } from '../benchArgs';
import { mean, percentile } from '../stats';
import { fakeEvidence, startStubBriefBackend } from './stubBriefBackend';
import { loadAverage, machineLine } from '../machine';

const quick = process.argv.includes('--quick');
/**
 * Part B answers through backend-defaults' compression middleware, as production's root router
 * does (gzip for clients that accept it: `fetch` and browsers do); `--no-compression` as
 * `startTestBackend` leaves it (the runs before run 10).
 */
const COMPRESSION = !process.argv.includes('--no-compression');
/**
 * The HTTP client of BOTH sides: ours is asked and the baselines' `CatalogClient` asks with the
 * same `fetch`, so that neither side is timed with a slower client. `node-fetch` (through
 * `cross-fetch`) is what `CatalogClient` uses in Node by default; `undici` is Node's global
 * `fetch`, which ours used alone before run 11 — it reads a 200 kB gzipped JSON answer
 * 0.7–0.9 ms (×1.18–1.20) slower than node-fetch and a 0.5 kB one ~0.1 ms slower
 * (`httpClients.bench.ts`; docs/benchmarks.md, "Run 11").
 */
const CLIENT = arg('client') ?? 'node-fetch';
if (CLIENT !== 'node-fetch' && CLIENT !== 'undici')
  throw new Error(`--client must be node-fetch or undici (got "${CLIENT}")`);
const httpFetch: typeof fetch =
  CLIENT === 'undici' ? globalThis.fetch : (crossFetch as typeof fetch);
/** The `fetchApi` both baselines' `CatalogClient`s are given: the client ours is asked with. */
const fetchApi = { fetch: httpFetch };
/** Where to write a CPU profile of part B's high-fan-in measurement (client and server). */
const PROFILE_DIR = arg('profile-dir');
const ENTITIES = Number(arg('entities') ?? (quick ? 20_000 : 100_000));
const ROOTS = Number(arg('roots') ?? (quick ? 300 : 1000));
const SAMPLE = Number(arg('sample') ?? (quick ? 20 : 60));
const REAL_ENTITIES = Number(arg('real-entities') ?? (quick ? 500 : 10_000));
const REAL_ROOTS = Number(arg('real-roots') ?? (quick ? 60 : 500));
const REAL_SAMPLE = Number(arg('real-sample') ?? (quick ? 10 : 60));
/** Second root set: the most-depended-on entities (largest 3-hop radius), split over two runs. */
const HIGH_ROOTS = Number(arg('high-roots') ?? (quick ? 30 : 60));
const REAL_HIGH_ROOTS = Number(arg('real-high-roots') ?? (quick ? 20 : 60));
const DATABASE = (arg('db') ?? 'sqlite') as 'sqlite' | 'pg';
const INGEST_BUDGET_S = Number(arg('ingest-budget') ?? (quick ? 120 : 1200));
const HOPS = 3;
/** Our page size: 5,000 (the API's most) returns every entity of a random root's radius; the
 * blast-radius card asks for 1,000 (the graph's page) and pages on with the cursor. */
const LIMIT = Number(arg('limit') ?? 5000);
/**
 * The wire forms ours asks, comma-separated: `table` (each path step once, rows as arrays in
 * named columns; what the blast-radius card's client asks), `shared` (each path step once) or
 * `inline` (every path in full). With more than one, ours is measured in each, alternated root by
 * root, and compared with the baselines in the first.
 */
const WIRE_FORMS = (arg('paths') ?? 'table').split(',') as PathsForm[];
type PathsForm = 'table' | 'shared' | 'inline';
for (const form of WIRE_FORMS) {
  if (form !== 'table' && form !== 'shared' && form !== 'inline')
    throw new Error(
      `--paths must list table, shared or inline, comma-separated (got ${form})`,
    );
}
const SHAPE = (arg('shape') ?? 'uniform') as GraphShape;
if (SHAPE !== 'uniform' && SHAPE !== 'heavy-tailed') {
  throw new Error(`--shape must be uniform or heavy-tailed (got "${SHAPE}")`);
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

type BlastRadiusJson = BlastRadiusAnswer;

/**
 * `GET …/blast-radius?hops=3&limit=<--limit>&paths=<--paths>` on a backend, with the given
 * Authorization header; a `shared` answer is expanded as the plugin's client does.
 */
function oursClient(
  baseUrl: string,
  authorization: string,
  paths: PathsForm = WIRE_FORMS[0],
) {
  const base = `${baseUrl}/api/incident-brief/entities`;
  return async (ref: string, cursor?: string): Promise<BlastRadiusJson> => {
    const [kind, rest] = ref.split(':');
    const page = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const res = await httpFetch(
      `${base}/${kind}/${rest}/blast-radius?hops=${HOPS}&limit=${LIMIT}&paths=${paths}${page}`,
      { headers: { authorization } },
    );
    if (res.status !== 200)
      throw new Error(`${ref}: ${res.status} ${await res.text()}`);
    answerEncodings.add(res.headers.get('content-encoding') ?? 'identity');
    const body = await res.json();
    if (paths === 'table')
      return untabulateRows(body as TabulatedRows<BlastRadiusAnswer>);
    return paths === 'shared'
      ? expandPathSteps(body as SharedPathSteps<BlastRadiusAnswer>)
      : (body as BlastRadiusAnswer);
  };
}

/** The `content-encoding` of ours' answers: `gzip` through production's compression middleware. */
const answerEncodings = new Set<string>();

/**
 * p50/p95/p99 of ours over `roots`, one at a time, twice; with several `--paths`, each root in each
 * wire form, their order rotated root by root, and the ratio of the first to each other.
 */
async function measureOurs(
  label: string,
  baseUrl: string,
  authorization: string,
  roots: string[],
) {
  const clients = WIRE_FORMS.map(form => ({
    form,
    ours: oursClient(baseUrl, authorization, form),
  }));
  for (let i = 0; i < 50; i++) {
    for (const { ours } of clients) await ours(roots[i % roots.length]); // JIT warm-up
  }
  for (let run = 1; run <= 2; run++) {
    const times = new Map(clients.map(c => [c.form, [] as number[]]));
    let sizes = 0;
    for (const [r, root] of roots.entries()) {
      const order = r % 2 ? [...clients].reverse() : clients;
      for (const { form, ours } of order) {
        const s = performance.now();
        const answer = await ours(root);
        times.get(form)!.push(performance.now() - s);
        if (form === clients[0].form) sizes += answer.counts.total;
      }
    }
    for (const { form } of clients) {
      const t = [...times.get(form)!].sort((a, b) => a - b);
      console.log(
        `RESULT ${label} ours run ${run}: ${
          roots.length
        } roots, hops ${HOPS}, limit ${LIMIT}, paths ${form}, mean impacted ${(
          sizes / roots.length
        ).toFixed(1)}: p50 ${percentile(t, 50).toFixed(2)} ms, p95 ${percentile(
          t,
          95,
        ).toFixed(2)} ms, p99 ${percentile(t, 99).toFixed(2)} ms, max ${t[
          t.length - 1
        ].toFixed(2)} ms, mean ${mean(t).toFixed(2)} ms (target p95 < 20 ms: ${
          percentile(t, 95) < 20 ? 'MET' : 'MISSED'
        }), answers ${[...answerEncodings].join(', ')}, load ${loadAverage()}`,
      );
    }
    const [first, ...others] = clients.map(c => c.form);
    for (const other of others) {
      const [a, b] = [first, other].map(form => times.get(form)!);
      const p95 = (xs: number[]) =>
        percentile(
          [...xs].sort((x, y) => x - y),
          95,
        );
      console.log(
        `RESULT ${label} run ${run}: paths ${first} / ${other}, ratio of means ${(
          mean(a) / mean(b)
        ).toFixed(3)}, of p95 ${(p95(a) / p95(b)).toFixed(3)}`,
      );
    }
  }
}

type Way = (
  root: string,
) => Promise<{ impacted: Set<string>; requests: number }>;

/**
 * The whole radius through `ours`, page after page while it is truncated: the baselines fetch
 * every impacted entity, so a comparison that timed our first page only (`--limit` below the
 * radius) compared less work on our side (until 2026-12-06, with `--limit 1000` on the
 * heavy-tailed graph, whose largest radii hold 1,000–1,600 entities).
 */
function wholeRadius(
  ours: (ref: string, cursor?: string) => Promise<BlastRadiusJson>,
) {
  return async (ref: string): Promise<BlastRadiusJson> => {
    const first = await ours(ref);
    const impacted = [...first.impacted];
    for (let page = first; page.truncated && page.nextCursor; ) {
      page = await ours(ref, page.nextCursor);
      impacted.push(...page.impacted);
    }
    return { ...first, impacted, truncated: false };
  };
}

/** Ours and each baseline on the same roots, interleaved root by root; ratio of means. */
async function compare(
  label: string,
  onePage: (ref: string, cursor?: string) => Promise<BlastRadiusJson>,
  ways: { name: string; run: Way }[],
  roots: string[],
) {
  const ours = wholeRadius(onePage);
  const oursMs: number[] = [];
  const oursAgainMs: number[] = [];
  let impactedSum = 0;
  const theirs = ways.map(() => ({
    ms: [] as number[],
    requests: 0,
    mismatches: 0,
  }));
  for (const root of roots) {
    let s = performance.now();
    const a = await ours(root);
    oursMs.push(performance.now() - s);
    // the same request again at once, not compared: how much of the first call was the
    // previous root's traversals' garbage and cold caches (client and backend share a process)
    s = performance.now();
    await ours(root);
    oursAgainMs.push(performance.now() - s);
    impactedSum += a.counts.total;
    const setA = new Set(a.impacted.map(x => x.ref));
    for (let w = 0; w < ways.length; w++) {
      s = performance.now();
      const b = await ways[w].run(root);
      theirs[w].ms.push(performance.now() - s);
      theirs[w].requests += b.requests;
      // the whole radius on both sides (`wholeRadius`): the same set of entities
      const same =
        setA.size === b.impacted.size &&
        setA.size === a.counts.total &&
        [...b.impacted].every(r => setA.has(r));
      if (!same) {
        theirs[w].mismatches++;
        if (theirs[w].mismatches <= 3)
          console.log(
            `  MISMATCH ${ways[w].name} ${root}: ours ${a.counts.total}, theirs ${b.impacted.size}`,
          );
      }
    }
  }
  const oursMean = mean(oursMs);
  ways.forEach((way, w) => {
    const t = theirs[w];
    const ratios = t.ms.map((ms, i) => ms / oursMs[i]).sort((x, y) => x - y);
    const ratio = mean(t.ms) / oursMean;
    console.log(
      `RESULT ${label} vs ${way.name}: ${
        roots.length
      } roots interleaved, mean impacted ${(impactedSum / roots.length).toFixed(
        1,
      )}; ours mean ${oursMean.toFixed(2)} ms (asked again at once: ${mean(
        oursAgainMs,
      ).toFixed(2)} ms), theirs mean ${mean(t.ms).toFixed(1)} ms (${(
        t.requests / roots.length
      ).toFixed(1)} requests/root); ratio of means ${ratio.toFixed(
        1,
      )}×, per-root ratio p50 ${percentile(ratios, 50).toFixed(
        1,
      )}× min ${ratios[0].toFixed(1)}× (target ≥ 100×: ${
        ratio >= 100 ? 'MET' : 'MISSED'
      }); same impacted set: ${roots.length - t.mismatches}/${
        roots.length
      }, load ${loadAverage()}`,
    );
  });
}

function randomRoots(n: number, count: number, seed: number): string[] {
  const rnd = prng(seed);
  return Array.from({ length: count }, () => refOf(Math.floor(rnd() * n)));
}

/**
 * The high-fan-in root set: the `count` entities with the largest 3-hop blast radius in the
 * synthetic graph (what an incident commander looks at: shared databases, platform services).
 */
function highFanInRoots(entities: Entity[], count: number): string[] {
  const t = performance.now();
  const top = mostDependedOn(entities, count, HOPS);
  const mean = top.reduce((n, r) => n + r.impacted, 0) / top.length;
  console.log(
    `high-fan-in roots: the ${count} entities with the largest ${HOPS}-hop radius of ${
      entities.length
    } (computed from the synthetic graph in ${(performance.now() - t).toFixed(
      0,
    )} ms): radius ${top[0].impacted}…${
      top[top.length - 1].impacted
    }, mean ${mean.toFixed(1)}`,
  );
  return top.map(r => r.ref);
}

/** Part A: the stub catalog at full size (memory, ours, catalog-graph's way on a Map). */
async function stubPart() {
  let t = performance.now();
  const entities = syntheticCatalog(ENTITIES, { shape: SHAPE });
  const edgeCount = entities.reduce(
    (n, e) => n + ((e.spec as any).dependsOn?.length ?? 0),
    0,
  );
  console.log(
    `A. stub catalog: ${
      entities.length
    } entities, ${edgeCount} dependsOn edges, ${SHAPE} (generated in ${(
      performance.now() - t
    ).toFixed(0)} ms)`,
  );

  // 1. index memory (see indexMemory.ts: JSON pages parsed and built inside the window)
  if (!(global as any).gc)
    console.log('memory: run with --expose-gc to measure');
  else {
    const pages = toPages(entities);
    for (const [run, r] of measureIndexMemory(
      buildGraphIndex,
      pages,
    ).entries()) {
      console.log(
        `RESULT memory run ${run + 1}: ${formatIndexMemory(
          r,
        )}, load ${loadAverage()}`,
      );
    }
  }

  // 2. the backend
  const catalog = await startCatalogServer(entities);
  const backend = await startStubBriefBackend(entities);
  const ours = oursClient(backend.baseUrl, backend.authorization);
  const client = new CatalogClient({
    discoveryApi: { getBaseUrl: async () => catalog.baseUrl },
    fetchApi,
  });
  try {
    const roots = randomRoots(ENTITIES, ROOTS, 99);
    t = performance.now();
    await ours(roots[0]);
    console.log(
      `first request after start-up (index built from a paged catalog read): ${(
        performance.now() - t
      ).toFixed(0)} ms`,
    );
    const high = highFanInRoots(entities, HIGH_ROOTS);
    await measureOurs(
      'A stub random roots',
      backend.baseUrl,
      backend.authorization,
      roots,
    );
    await measureOurs(
      'A stub high-fan-in roots',
      backend.baseUrl,
      backend.authorization,
      high,
    );
    // 3. interleaved comparison on a sample of each root set
    const ways = [
      {
        name: 'catalog-graph one-by-one on a Map stub',
        run: (root: string) => catalogGraphOneByOne(client, root, HOPS),
      },
    ];
    const half = Math.ceil(high.length / 2);
    for (let run = 1; run <= 2; run++) {
      await compare(
        `A stub random roots run ${run}`,
        ours,
        ways,
        roots.slice((run - 1) * SAMPLE, run * SAMPLE),
      );
      await compare(
        `A stub high-fan-in roots run ${run}`,
        ours,
        ways,
        high.slice((run - 1) * half, run * half),
      );
    }
  } finally {
    await backend.stop();
    await catalog.close();
  }
}

/** Part B: the real catalog backend, real auth and permissions, our plugin reading it. */
async function realPart() {
  console.log(
    `B. real catalog: ${REAL_ENTITIES} entities, ${
      REAL_ENTITIES * 3
    } dependsOn edges (${SHAPE}) through an entity provider; database ${DATABASE}; load ${loadAverage()}`,
  );
  let t = performance.now();
  const real = await startRealCatalogBackend({
    features: [incidentBriefPlugin],
    evidence: fakeEvidence,
    database: DATABASE,
    compression: COMPRESSION,
  });
  console.log(
    `backend started in ${(performance.now() - t).toFixed(0)} ms (${
      real.database
    }); real user token from the guest provider; ${
      COMPRESSION
        ? "answers gzipped as production's root router does (compression middleware)"
        : 'answers not compressed (--no-compression)'
    }`,
  );
  try {
    const entities = syntheticCatalog(REAL_ENTITIES, {
      withRelations: false,
      shape: SHAPE,
    });
    const ingest = await real.ingest(entities, {
      budgetMs: INGEST_BUDGET_S * 1000,
      onProgress: line => console.log(`${line}, load ${loadAverage()}`),
    });
    console.log(
      `RESULT B ingestion: ${REAL_ENTITIES} entities, full mutation applied in ${(
        ingest.mutationMs / 1000
      ).toFixed(1)} s, processed and stitched after ${(
        ingest.totalMs / 1000
      ).toFixed(1)} s (${(REAL_ENTITIES / (ingest.totalMs / 1000)).toFixed(
        0,
      )} entities/s), load ${loadAverage()}`,
    );
    const ours = oursClient(real.baseUrl, real.userAuthorization);
    const token = real.userAuthorization.slice('Bearer '.length);
    const client = new CatalogClient({
      discoveryApi: {
        getBaseUrl: async pluginId => `${real.baseUrl}/api/${pluginId}`,
      },
      fetchApi,
    });
    const roots = randomRoots(REAL_ENTITIES, REAL_ROOTS, 99);
    const high = highFanInRoots(entities, REAL_HIGH_ROOTS);
    // our index was built at start-up from an empty catalog; the first request for a ref it
    // does not know triggers an incremental pass (etag scan + fetch of the changed entities)
    t = performance.now();
    await ours(roots[0]);
    console.log(
      `first request after ingestion (index brought up to date from the real catalog): ${(
        performance.now() - t
      ).toFixed(0)} ms, load ${loadAverage()}`,
    );
    await measureOurs(
      'B real random roots',
      real.baseUrl,
      real.userAuthorization,
      roots,
    );
    const session = PROFILE_DIR ? new Session() : undefined;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    await measureOurs(
      'B real high-fan-in roots',
      real.baseUrl,
      real.userAuthorization,
      high,
    );
    if (session && PROFILE_DIR) {
      const { profile } = await session.post('Profiler.stop');
      mkdirSync(PROFILE_DIR, { recursive: true });
      const file = path.join(PROFILE_DIR, `B-high-${Date.now()}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      console.log(`profile of B high-fan-in ours: ${file}`);
    }
    const ways = [
      {
        name: 'catalog-graph one-by-one (getEntityByName, p-limit 10) on the real catalog',
        run: (root: string) => catalogGraphOneByOne(client, root, HOPS, token),
      },
      {
        name: 'catalog-graph 0.6.10 batched (getEntitiesByRefs per level) on the real catalog',
        run: (root: string) => catalogGraphBatched(client, root, HOPS, token),
      },
    ];
    const half = Math.ceil(high.length / 2);
    for (let run = 1; run <= 2; run++) {
      await compare(
        `B real random roots run ${run}`,
        ours,
        ways,
        roots.slice((run - 1) * REAL_SAMPLE, run * REAL_SAMPLE),
      );
      await compare(
        `B real high-fan-in roots run ${run}`,
        ours,
        ways,
        high.slice((run - 1) * half, run * half),
      );
    }
  } finally {
    await real.stop();
  }
}

async function main() {
  console.log(`${machineLine()}; HTTP client of both sides: ${CLIENT}`);
  const started = performance.now();
  if (!process.argv.includes('--skip-stub')) await stubPart();
  if (!process.argv.includes('--skip-real')) await realPart();
  console.log(
    `done in ${((performance.now() - started) / 1000).toFixed(
      0,
    )} s, load ${loadAverage()}`,
  );
}

main().then(
  // the auth backend and the catalog leave timers behind; do not wait for them
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
