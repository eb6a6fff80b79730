/**
 * Storing posted result sets (`POST /internal/results`, scorecards §7.4): the scorecards
 * backend's store path for a bulk import's results, one transaction per item (what the intake
 * did until 2026-12-02: `recordEvaluation` per item) against one transaction per batch of 500
 * (`recordEvaluations`, what it does now), side by side in one run, order A-B-B-A, each run on a
 * fresh database: SQLite (a file, as `./portal start` would with a file database) and/or a
 * throwaway PostgreSQL 15 (fsync on).
 *
 * Result sets are the engine's own: the default standard (45 checks) over entities of the
 * synthetic world of `syntheticWorld.ts`. Phase **first**: every entity's first result set
 * (latest rows only, no transitions). Phase **changed**: every entity again with its repository
 * settings fact gone (branch protection and the checks that read it move for the entities that
 * had one; transitions written).
 * The changed phase's entities carry one more annotation (another entity hash), so every set
 * is written. Times are of the store path only (history snapshot and hash, compare-and-write, JSON of the
 * rows); the HTTP body parse and validation in front of it are the same for both.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/scorecards/resultsIntake.bench.ts
 *     [--quick] [--entities <n>] [--databases pg,sqlite] [--port <pg port>]
 */
import { DatabaseService } from '@backstage/backend-plugin-api';
import { ScorecardsStore } from '@internal/plugin-scorecards-backend/src/database/ScorecardsStore';
import {
  RecordInput,
  recordEvaluation,
  recordEvaluations,
} from '@internal/plugin-scorecards-backend/src/evaluation/recordEvaluation';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchKnex } from '../evidence/benchBackend';
import {
  ThrowawayPostgres,
  startThrowawayPostgres,
} from '../evidence/throwawayPostgres';
import { resultSets } from './resultSets';
import { arg } from '../benchArgs';
import { machineLine } from '../machine';

const quick = process.argv.includes('--quick');
const ENTITIES = Number(arg('entities') ?? (quick ? 500 : 2000));
const DATABASES = (arg('databases') ?? 'sqlite,pg').split(',');
const PG_PORT = Number(arg('port') ?? 55442);
const BATCH = 500; // the intake's per-request limit and the publisher's batch size

type Mode = 'per-item' | 'batched';
const MODES: Mode[] = ['per-item', 'batched', 'batched', 'per-item'];

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function record(
  store: ScorecardsStore,
  mode: Mode,
  items: RecordInput[],
) {
  const counts = { written: 0, unchanged: 0, stale: 0, transitions: 0 };
  const note = (o: Awaited<ReturnType<typeof recordEvaluation>>) => {
    counts[o.status]++;
    if (o.status === 'written') counts.transitions += o.transitions;
  };
  for (let i = 0; i < items.length; i += BATCH) {
    const batch = items.slice(i, i + BATCH);
    if (mode === 'batched') {
      (await recordEvaluations(store, batch)).forEach(note);
    } else {
      for (const item of batch) note(await recordEvaluation(store, item));
    }
  }
  return counts;
}

async function main() {
  console.log(machineLine());
  const first = resultSets(ENTITIES, false, '2026-03-14T02:05:00.000Z');
  const changed = resultSets(ENTITIES, true, '2026-03-14T02:10:00.000Z');
  const toInputs = (sets: typeof first) =>
    sets.map(s => ({ ...s, at: s.evaluation.evaluatedAt }));
  const bytes = Buffer.byteLength(JSON.stringify(first.map(s => s.evaluation)));
  console.log(
    `result sets: ${first.length} per phase (default standard, 45 checks; ${(
      bytes /
      first.length /
      1024
    ).toFixed(1)} KB of JSON each), batches of ${BATCH}`,
  );

  let pg: ThrowawayPostgres | undefined;
  const tmp = mkdtempSync(join(tmpdir(), 'scorecards-intake-'));
  const rows: string[] = [];
  try {
    if (DATABASES.includes('pg')) pg = startThrowawayPostgres(PG_PORT);
    for (const database of DATABASES) {
      const times: Record<Mode, Record<'first' | 'changed', number[]>> = {
        'per-item': { first: [], changed: [] },
        batched: { first: [], changed: [] },
      };
      const cpu: Record<Mode, number[]> = { 'per-item': [], batched: [] };
      for (const [run, mode] of MODES.entries()) {
        const name = `intake_${run}`;
        let knex;
        if (database === 'pg') {
          const admin = benchKnex({ pg: pg!.connectionString() });
          await admin.raw(`CREATE DATABASE ${name}`);
          await admin.destroy();
          knex = benchKnex({ pg: pg!.connectionString(name) });
        } else {
          knex = benchKnex({ sqlite: join(tmp, `${name}.sqlite`) });
        }
        const store = await ScorecardsStore.create({
          getClient: async () => knex,
        } as unknown as DatabaseService);
        const load = (await import('node:os')).loadavg()[0].toFixed(2);
        const c0 = cpuMs();
        for (const [phase, sets] of [
          ['first', first],
          ['changed', changed],
        ] as const) {
          const t0 = performance.now();
          const counts = await record(store, mode, toInputs(sets));
          const ms = performance.now() - t0;
          times[mode][phase].push(ms);
          console.log(
            `${database} run ${run + 1} ${mode.padEnd(8)} ${phase.padEnd(
              7,
            )}: ${ms.toFixed(0)} ms = ${((ms / sets.length) * 1000).toFixed(
              0,
            )} µs per set; written ${counts.written}, unchanged ${
              counts.unchanged
            }, transitions ${counts.transitions} (load ${load})`,
          );
          if (counts.written !== sets.length) {
            throw new Error(`expected ${sets.length} written`);
          }
        }
        cpu[mode].push(cpuMs() - c0);
        await knex.destroy();
      }
      // the slower of each side's two runs, so a ratio never rests on one lucky run
      const slower = (xs: number[]) => Math.max(...xs);
      for (const phase of ['first', 'changed'] as const) {
        const a = slower(times['per-item'][phase]);
        const b = slower(times.batched[phase]);
        rows.push(
          `| ${database} | ${phase} | ${first.length} | ${times['per-item'][
            phase
          ]
            .map(ms => `${(ms / 1000).toFixed(2)} s`)
            .join(' / ')} | ${times.batched[phase]
            .map(ms => `${(ms / 1000).toFixed(2)} s`)
            .join(' / ')} | ${((a / first.length) * 1000).toFixed(0)} → ${(
            (b / first.length) *
            1000
          ).toFixed(0)} µs | **×${(a / b).toFixed(2)}** |`,
        );
      }
      console.log(
        `${database}: process CPU per run, per-item ${cpu['per-item']
          .map(ms => `${(ms / 1000).toFixed(2)} s`)
          .join(' / ')}, batched ${cpu.batched
          .map(ms => `${(ms / 1000).toFixed(2)} s`)
          .join(' / ')}`,
      );
    }
  } finally {
    pg?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log('');
  console.log(
    '| database | phase | sets | one transaction per item (runs 1, 4) | one per batch of 500 (runs 2, 3) | per set (slower run of each) | speed-up |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
