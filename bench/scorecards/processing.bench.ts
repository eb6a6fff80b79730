/**
 * Catalog processing overhead of the scorecards module (scorecards §7.5, issue C item 6).
 *
 * What is measured: the catalog's own processing engine class
 * (`DefaultCatalogProcessingOrchestrator` from @backstage/plugin-catalog-backend, the class the
 * catalog's processing loop calls per entity) processing N synthetic entities with at most 10 in
 * flight (the loop's high watermark), with processors [BuiltinKindsEntityProcessor] ("without")
 * versus [BuiltinKindsEntityProcessor, ScorecardsProcessor] ("with"), rounds interleaved
 * without/with. The scorecards processor is the real one: the real `DefaultEvidenceService`
 * (micro-batching ≤ 200 refs / 5 ms, cache, timeout, breaker) against a local fake evidence
 * HTTP server that answers `POST /read` from the synthetic evidence after `--latency` ms
 * (default 5) and `GET /sources`; a new client per round, so caches start cold as they mostly
 * are when the loop revisits an entity every 100–150 s. The catalog snapshot (`indexCatalog`)
 * is built once beforehand (it is refreshed every 60 s in the module, not per entity).
 * Not measured: database reads/writes and stitching, which the real loop adds to both sides, so
 * the relative overhead reported here is an upper bound of the overhead in a real catalog.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/scorecards/processing.bench.ts
 *     [--quick] [--entities <n>] [--rounds <n>] [--latency <ms>]
 */
import {
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
} from '@backstage/catalog-model';
import { BuiltinKindsEntityProcessor } from '@backstage/plugin-catalog-backend';
import { CatalogProcessor } from '@backstage/plugin-catalog-node';
import { DefaultEvidenceService } from '@internal/plugin-evidence-node/src/client/DefaultEvidenceService';
import { ScorecardsProcessor } from '@internal/plugin-catalog-backend-module-scorecards/src/processor/ScorecardsProcessor';
import {
  defaultStandardFile,
  indexCatalog,
  loadStandard,
} from '@internal/plugin-scorecards-common';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { evidenceAnswers } from './evidenceServer';
import { syntheticWorld } from './syntheticWorld';
import { arg } from '../benchArgs';
import { loadAverage, machineLine } from '../machine';
import { median } from '../stats';

// The orchestrator is not exported; load it by file so the exports map does not stand in the way.
const { DefaultCatalogProcessingOrchestrator } = require(path.join(
  path.dirname(
    require.resolve('@backstage/plugin-catalog-backend/package.json'),
  ),
  'dist/processing/DefaultCatalogProcessingOrchestrator.cjs.js',
));

const quick = process.argv.includes('--quick');
const ENTITIES = Number(arg('entities') ?? (quick ? 1_000 : 5_000));
const ROUNDS = Number(arg('rounds') ?? (quick ? 2 : 3));
const LATENCY_MS = Number(arg('latency') ?? 5);
const IN_FLIGHT = 10;

async function main() {
  console.log(machineLine());
  const world = syntheticWorld(ENTITIES);
  const standard = loadStandard(defaultStandardFile, { fileName: 'default' });
  const catalog = indexCatalog({
    entities: world.entities,
    refreshedAt: new Date(Date.now() - 30_000).toISOString(),
  });
  // The evidence store's answer per ref (clock shifted to now), shared with pipeline.bench.ts.
  const answer = evidenceAnswers(world);
  let reads = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', c => (body += c));
    req.on('end', () => {
      setTimeout(() => {
        res.setHeader('content-type', 'application/json');
        if (req.url === '/sources') {
          res.end(
            JSON.stringify({
              items: world.sourceHealth.map(h => ({
                ...h,
                lastSuccessAt: new Date().toISOString(),
              })),
            }),
          );
          return;
        }
        reads++;
        const { entityRefs } = JSON.parse(body) as { entityRefs: string[] };
        const entities: Record<string, unknown> = {};
        for (const ref of entityRefs) entities[ref] = answer(ref);
        res.end(JSON.stringify({ entities }));
      }, LATENCY_MS);
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;

  const noop = () => {};
  const logger: any = {
    info: noop,
    warn: (m: string) => console.warn(m),
    error: (m: string) => console.error(m),
    debug: noop,
    child: () => logger,
  };
  const orchestratorWith = (processors: CatalogProcessor[]) =>
    new DefaultCatalogProcessingOrchestrator({
      processors,
      integrations: { byHost: () => undefined } as any,
      rulesEnforcer: { isAllowed: () => true },
      logger,
      parser: async function* parse() {},
      policy: EntityPolicies.allOf([
        new SchemaValidEntityPolicy(),
        new DefaultNamespaceEntityPolicy(),
        new NoForeignRootFieldsEntityPolicy(),
        new FieldFormatEntityPolicy(),
      ]),
      allowedLocationTypes: ['url', 'file'],
    });
  const scored = world.scored.map(
    (e): Entity => ({
      ...e,
      metadata: {
        ...e.metadata,
        annotations: {
          ...e.metadata.annotations,
          'backstage.io/managed-by-location': 'file:/bench/catalog.yaml',
          'backstage.io/managed-by-origin-location': 'file:/bench/catalog.yaml',
        },
      },
    }),
  );

  async function round(withModule: boolean) {
    const processors: CatalogProcessor[] = [new BuiltinKindsEntityProcessor()];
    if (withModule) {
      const evidence = new DefaultEvidenceService({
        baseUrl: async () => `http://127.0.0.1:${port}`,
        token: async () => 'bench',
      });
      processors.push(
        new ScorecardsProcessor({
          standard,
          evidence,
          catalog: () => catalog,
          waivers: () => world.waivers,
          logger,
        }),
      );
    }
    const orchestrator = orchestratorWith(processors);
    let next = 0;
    let ok = 0;
    let stamped = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < scored.length) {
          const entity = scored[next++];
          const result = await orchestrator.process({ entity, state: {} });
          if (result.ok) {
            ok++;
            if (
              result.completedEntity.metadata.labels?.[
                'ops.example.com/maturity-level'
              ]
            )
              stamped++;
          } else if (ok === 0 && next < 3) console.log(result.errors);
        }
      }),
    );
    return { ms: performance.now() - start, ok, stamped };
  }

  await round(false); // warm-up of both paths
  await round(true);
  const ratios: number[] = [];
  for (let r = 1; r <= ROUNDS; r++) {
    const readsBefore = reads;
    const a = await round(false);
    const b = await round(true);
    ratios.push(b.ms / a.ms);
    console.log(
      `round ${r}: without ${a.ms.toFixed(0)} ms (${
        a.ok
      } ok), with ${b.ms.toFixed(0)} ms (${b.ok} ok, ${b.stamped} stamped, ${
        reads - readsBefore
      } evidence reads); with/without ${(b.ms / a.ms).toFixed(
        2,
      )}; per entity +${((b.ms - a.ms) / ENTITIES).toFixed(
        3,
      )} ms; load ${loadAverage()}`,
    );
  }
  const medianRatio = median(ratios);
  console.log(
    `RESULT processing: ${ENTITIES} entities, orchestrator only, median with/without ${medianRatio.toFixed(
      2,
    )} (overhead ${((medianRatio - 1) * 100).toFixed(
      0,
    )} %; target < 10 % in a real catalog: ${
      medianRatio < 1.1 ? 'MET' : 'not shown by this bound'
    }), load ${loadAverage()}`,
  );
  server.close();
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
