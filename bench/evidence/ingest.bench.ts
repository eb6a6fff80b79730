/**
 * Batched ingestion throughput (evidence.md §9): 4 concurrent clients post `/changes/batch`
 * (then `/facts/batch`) of 500 new items each for a fixed duration, counting accepted events
 * from the HTTP responses; the item-by-item path and the set-based path run side by side on
 * the same throwaway PostgreSQL (fresh database each), and the ratio is printed.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/evidence/ingest.bench.ts [--quick]
 *     [--duration <s>] [--clients <n>] [--batch <n>] [--scopes changes,facts] [--modes item-by-item,set-based]
 */
import { BatchMode } from '@internal/plugin-evidence-backend/src/database/EvidenceStore';
import { benchEntities, benchKnex, startBenchBackend } from './benchBackend';
import { startThrowawayPostgres } from './throwawayPostgres';
import { arg } from '../benchArgs';
import { percentile } from '../stats';
import { loadAverage, machineLine } from '../machine';

const quick = process.argv.includes('--quick');
const durationS = Number(arg('duration') ?? (quick ? 10 : 60));
const clients = Number(arg('clients') ?? 4);
const batchSize = Number(arg('batch') ?? 500);
const scopes = (arg('scopes') ?? 'changes,facts').split(',') as (
  | 'changes'
  | 'facts'
)[];
const modes = (arg('modes') ?? 'item-by-item,set-based').split(
  ',',
) as BatchMode[];

const ENTITIES = 1000;
let serial = 0;

// Half the items name a catalog entity (resolved), half an unknown one (unresolved, warning).
function subject(n: number) {
  return n % 2 === 0
    ? { entityRef: `component:default/bench-${n % ENTITIES}` }
    : { entityRef: `component:default/unknown-${n % ENTITIES}` };
}

function changeItem(run: string, now: number) {
  const n = serial++;
  return {
    idempotencyKey: `${run}:change:${n}`,
    ...subject(n),
    kind: 'deploy',
    environment: n % 3 === 0 ? 'staging' : 'production',
    ref: `v1.${n % 100}.${n}`,
    summary: `Deploy bench ${n}`,
    actor: { type: 'bot', id: 'github-actions' },
    source: { system: 'github-actions', externalId: `${run}-${n}` },
    startedAt: new Date(now - 60_000).toISOString(),
    status: 'started',
    attributes: {
      artifactDigest: `sha256:${n.toString(16).padStart(64, '0')}`,
    },
  };
}

function factItem(run: string, now: number) {
  const n = serial++;
  return {
    idempotencyKey: `${run}:fact:${n}`,
    ...subject(n),
    source: 'bench-pusher',
    kind: 'link.status',
    key: `https://docs.example.com/${run}/${n}`,
    value: {
      status: 200,
      redirects: n % 3,
      finalUrl: `https://docs.example.com/${run}/${n}`,
    },
    observedAt: new Date(now - 30_000).toISOString(),
  };
}

interface PhaseResult {
  scope: string;
  mode: BatchMode;
  events: number;
  seconds: number;
  requests: number;
  p50Ms: number;
  p95Ms: number;
}

async function phase(
  pg: ReturnType<typeof startThrowawayPostgres>,
  scope: 'changes' | 'facts',
  mode: BatchMode,
): Promise<PhaseResult> {
  const database = `bench_${scope}_${mode.replace(/-/g, '_')}_${Date.now()}`;
  const admin = benchKnex({ pg: pg.connectionString() });
  await admin.raw(`CREATE DATABASE ${database}`);
  await admin.destroy();
  const backend = await startBenchBackend({
    knex: benchKnex({ pg: pg.connectionString(database) }),
    batchMode: mode,
    entities: benchEntities(ENTITIES),
  });
  const run = `${scope}-${mode}-${Date.now()}`;
  const make = scope === 'changes' ? changeItem : factItem;
  const post = async () => {
    const now = Date.now();
    const items = Array.from({ length: batchSize }, () => make(run, now));
    const res = await fetch(`${backend.baseUrl}/${scope}/batch`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: backend.authorization,
      },
      body: JSON.stringify({ items }),
    });
    const body = (await res.json()) as {
      summary?: { created: number; failed: number };
      results?: { error?: { message: string } }[];
    };
    if (res.status !== 200 || !body.summary || body.summary.failed > 0) {
      const error = body.results?.find(r => r.error)?.error?.message;
      throw new Error(
        `batch refused: ${res.status} ${
          error ?? JSON.stringify(body).slice(0, 300)
        }`,
      );
    }
    return body.summary.created;
  };

  await post(); // warm-up (JIT, connection pool), not counted
  const latencies: number[] = [];
  let events = 0;
  const started = performance.now();
  const deadline = started + durationS * 1000;
  let finished = started;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const created = await post();
        events += created;
        finished = performance.now();
        latencies.push(finished - t0);
      }
    }),
  );
  await backend.stop();
  latencies.sort((a, b) => a - b);
  return {
    scope,
    mode,
    events,
    seconds: (finished - started) / 1000,
    requests: latencies.length,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
  };
}

async function main() {
  const pg = startThrowawayPostgres(Number(arg('port') ?? 55436));
  console.log(`# evidence ingest benchmark — ${new Date().toISOString()}`);
  console.log(machineLine());
  console.log(
    `server: ${pg.version}, fsync on, port ${pg.port}; ${clients} clients × batches of ${batchSize}, ${durationS} s per phase`,
  );
  const results: PhaseResult[] = [];
  try {
    for (const scope of scopes) {
      for (const mode of modes) {
        const r = await phase(pg, scope, mode);
        results.push(r);
        console.log(
          `  ${scope.padEnd(8)} ${mode.padEnd(13)} ${(r.events / r.seconds)
            .toFixed(0)
            .padStart(7)} events/s  (${r.events} events, ${
            r.requests
          } batches in ${r.seconds.toFixed(1)} s; batch p50 ${r.p50Ms.toFixed(
            0,
          )} ms, p95 ${r.p95Ms.toFixed(0)} ms)`,
        );
      }
    }
  } finally {
    pg.stop();
  }
  console.log(
    '\n| route | item-by-item events/s | set-based events/s | ratio | target ≥ 2,000 events/s |',
  );
  console.log('|---|---:|---:|---:|---|');
  for (const scope of scopes) {
    const rate = (mode: BatchMode) => {
      const r = results.find(x => x.scope === scope && x.mode === mode);
      return r ? r.events / r.seconds : NaN;
    };
    const before = rate('item-by-item');
    const after = rate('set-based');
    // a mode left out with --modes prints as "—", not NaN
    const shown = (n: number, digits: number, unit = '') =>
      Number.isFinite(n) ? `${n.toFixed(digits)}${unit}` : '—';
    console.log(
      `| \`/${scope}/batch\` | ${shown(before, 0)} | ${shown(
        after,
        0,
      )} | ${shown(after / before, 1, '×')} | ${
        after >= 2000 ? 'met' : 'not met'
      } |`,
    );
  }
  console.log(`load average after: ${loadAverage()}`);
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
