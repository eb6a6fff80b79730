/**
 * Read latency (evidence.md §9): 10,000 entities × 12 latest facts (≈ 250 B values) + 3 edges
 * + 20 changes each, seeded with direct SQL; then 1,000 random `GET /entities/:kind/:ns/:name`
 * after a warm-up (p50/p95/p99) and `POST /read` of 5,000 refs with facts + collection
 * (20 runs). Times are HTTP round trips on localhost measured by the client, so they bound the
 * server time from above. PostgreSQL is gated; SQLite is reported.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/evidence/read.bench.ts [--quick]
 *     [--entities <n>] [--reads <n>] [--bulk-runs <n>] [--bulk-budget <s>] [--databases pg,sqlite]
 */
import { Knex } from 'knex';
import {
  BenchBackend,
  benchEntities,
  startBenchBackend,
  withBenchDatabase,
} from './benchBackend';
import {
  insertAll,
  seedFactsCollectionEdges,
  seededChangeRow,
} from './seedRows';
import { arg } from '../benchArgs';
import { percentile } from '../stats';
import { loadAverage, machineLine } from '../machine';

const quick = process.argv.includes('--quick');
const ENTITIES = Number(arg('entities') ?? 10_000);
const READS = Number(arg('reads') ?? (quick ? 200 : 1000));
const BULK_RUNS = Number(arg('bulk-runs') ?? (quick ? 5 : 20));
const BULK_REFS = 5000;
// Bulk runs stop once this many seconds were spent, so a slow path still finishes the report.
const BULK_BUDGET_S = Number(arg('bulk-budget') ?? 120);
const databases = (arg('databases') ?? 'pg,sqlite').split(',');

const DAY = 86_400_000;

const ref = (i: number) => `component:default/bench-${i}`;
async function seed(knex: Knex, now: number, isPg: boolean) {
  const per = isPg ? 1000 : 100; // knex writes SQLite multi-row inserts as ≤ 500 UNION ALL terms
  await knex.transaction(async trx => {
    await seedFactsCollectionEdges(trx, ENTITIES, ref, now, per);
    await insertAll(
      trx,
      'evidence_changes',
      ENTITIES * 20,
      n => {
        const i = Math.floor(n / 20);
        const started = now - (n % 20) * 20 * DAY - 3_600_000;
        return seededChangeRow(n, ref(i), started, {
          kind: 'deploy',
          environment: n % 4 === 0 ? 'staging' : 'production',
          ref: `v1.${n % 20}.0`,
          version: null,
          summary: `Deploy bench-${i} v1.${n % 20}.0`,
          status: 'succeeded',
          artifactDigest: 'sha256:abc',
          attributesJson: '{"artifactDigest":"sha256:abc"}',
        });
      },
      per,
    );
    await insertAll(
      trx,
      'evidence_change_coverage',
      ENTITIES * 2,
      n => ({
        entity_ref: ref(Math.floor(n / 2)),
        kind: 'deploy',
        environment: n % 2 === 0 ? 'staging' : 'production',
        first_ms: now - 400 * DAY,
        last_ms: now - 3_600_000,
        count: n % 2 === 0 ? 5 : 15,
      }),
      per,
    );
    for (const source of ['repo', 'prometheus', 'ledger']) {
      await trx('evidence_source_health').insert({
        source,
        status: 'ok',
        since_ms: now - DAY,
        last_attempt_ms: now - 600_000,
        last_success_ms: now - 600_000,
        last_error: null,
        demo: false,
      });
    }
  });
  if (isPg) await knex.raw('VACUUM ANALYZE');
  else await knex.raw('ANALYZE');
}

async function timed(fn: () => Promise<Response>): Promise<number> {
  const t0 = performance.now();
  const res = await fn();
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`read answered ${res.status}`);
  return performance.now() - t0;
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
  };
}

/** `xs` in a uniformly random order (Fisher–Yates). */
function shuffled<T>(xs: T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

async function measure(backend: BenchBackend) {
  const headers = { authorization: backend.authorization };
  const userHeaders = { authorization: backend.userAuthorization };
  const one = (i: number, as = headers) =>
    timed(() =>
      fetch(`${backend.baseUrl}/entities/component/default/bench-${i}`, {
        headers: as,
      }),
    );
  const random = () => Math.floor(Math.random() * ENTITIES);
  for (let w = 0; w < 100; w++)
    await one(random(), w % 2 ? userHeaders : headers);
  // The same entity read as a service and as a user, in alternating order: a user's read also
  // passes the per-entity catalog.entity.read filter (§5.1), which a service's skips.
  const single: number[] = [];
  const singleUser: number[] = [];
  for (let r = 0; r < READS; r++) {
    const i = random();
    if (r % 2) {
      singleUser.push(await one(i, userHeaders));
      single.push(await one(i));
    } else {
      single.push(await one(i));
      singleUser.push(await one(i, userHeaders));
    }
  }

  const sample = (await (
    await fetch(`${backend.baseUrl}/entities/component/default/bench-1`, {
      headers,
    })
  ).json()) as {
    facts: unknown[];
    edges: { outgoing: unknown[]; incoming: unknown[] };
    ledger: unknown[];
  };
  const shape = `facts ${sample.facts.length}, edges ${sample.edges.outgoing.length} out / ${sample.edges.incoming.length} in, ledger ${sample.ledger.length}`;

  const bulk = (refs: string[]) =>
    timed(() =>
      fetch(`${backend.baseUrl}/read`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          entityRefs: refs,
          include: ['facts', 'collection'],
        }),
      }),
    );
  const bulkRefs = () => {
    const count = Math.min(BULK_REFS, ENTITIES);
    const start = Math.floor(Math.random() * (ENTITIES - count + 1));
    return shuffled(
      Array.from({ length: count }, (_, k) => ref((start + k) % ENTITIES)),
    );
  };
  await bulk(bulkRefs());
  const bulkTimes: number[] = [];
  const budgetEnd = performance.now() + BULK_BUDGET_S * 1000;
  for (let r = 0; r < BULK_RUNS && performance.now() < budgetEnd; r++) {
    bulkTimes.push(await bulk(bulkRefs()));
  }
  return {
    single: stats(single),
    singleUser: stats(singleUser),
    bulk: stats(bulkTimes),
    bulkRuns: bulkTimes.length,
    shape,
  };
}

async function main() {
  console.log(`# evidence read benchmark — ${new Date().toISOString()}`);
  console.log(machineLine());
  console.log(
    `fixture: ${ENTITIES} entities × 12 latest facts (≈250 B values) + 3 edges + 20 changes; ${READS} single reads after 100 warm-up, ${BULK_RUNS} bulk reads of ${BULK_REFS} refs`,
  );
  const rows: string[] = [];
  for (const database of databases) {
    await withBenchDatabase(
      database,
      Number(arg('port') ?? 55436),
      async ({ knex, isPg, version }) => {
        const backend = await startBenchBackend({
          knex,
          batchMode: 'set-based',
          entities: benchEntities(ENTITIES),
        });
        const t0 = performance.now();
        await seed(knex, Date.now(), isPg);
        console.log(
          `  ${isPg ? version : 'SQLite (better-sqlite3)'}: seeded in ${(
            (performance.now() - t0) /
            1000
          ).toFixed(1)} s`,
        );
        const m = await measure(backend);
        console.log(
          `  ${database}: one entity reads ${m.shape}; ${m.bulkRuns} bulk runs`,
        );
        const f = (n: number) => n.toFixed(1);
        rows.push(
          `| ${isPg ? 'PostgreSQL' : 'SQLite'} | ${f(m.single.p50)} | ${f(
            m.single.p95,
          )} | ${f(m.single.p99)} | ${f(m.singleUser.p50)} | ${f(
            m.singleUser.p95,
          )} | ${
            isPg
              ? Math.max(m.single.p95, m.singleUser.p95) < 10
                ? 'met'
                : 'not met'
              : 'not gated'
          } | ${f(m.bulk.p50)} | ${f(m.bulk.p95)} | ${
            isPg ? (m.bulk.p95 < 200 ? 'met' : 'not met') : 'not gated'
          } |`,
        );
        await backend.stop();
      },
    );
  }
  console.log(
    '\n| database | single p50 ms (service) | single p95 ms (service) | single p99 ms (service) | single p50 ms (user) | single p95 ms (user) | target p95 < 10 ms | bulk 5,000 p50 ms | bulk 5,000 p95 ms | target < 200 ms |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---|---:|---:|---|');
  for (const row of rows) console.log(row);
  console.log(`load average after: ${loadAverage()}`);
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
