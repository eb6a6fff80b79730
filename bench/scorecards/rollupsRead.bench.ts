/**
 * Reads over the whole catalog's results (`GET /rollups`, campaign progress, the checks page,
 * scorecards §7.4): the stored latest rows read and parsed, then `computeRollups` by owner.
 * **full**: every row's complete result set (`listLatest`, ~34 KB of JSON per entity with the
 * default standard; what the routes read until 2026-12-02). **summary**: the summary stored
 * beside it (`listLatestSummaries`, levels and result states only; what they read now). Same
 * database, same rows, side by side in one run, order A-B-B-A per round; SQLite (a file, as
 * `./portal start` would with a file database) and/or a throwaway PostgreSQL 15. Both answers
 * are compared row for row.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/scorecards/rollupsRead.bench.ts
 *     [--quick] [--entities <n>] [--rounds <n>] [--databases sqlite,pg] [--port <pg port>]
 */
import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  EvaluationSummary,
  RollupEntry,
  computeRollups,
} from '@internal/plugin-scorecards-common';
import { ScorecardsStore } from '@internal/plugin-scorecards-backend/src/database/ScorecardsStore';
import { recordEvaluations } from '@internal/plugin-scorecards-backend/src/evaluation/recordEvaluation';
import { isDeepStrictEqual } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchKnex } from '../evidence/benchBackend';
import {
  ThrowawayPostgres,
  startThrowawayPostgres,
} from '../evidence/throwawayPostgres';
import { resultSets } from './resultSets';
import { arg } from '../benchArgs';
import { machineLine } from '../machine';
import { median } from '../stats';

const quick = process.argv.includes('--quick');
const ENTITIES = Number(arg('entities') ?? (quick ? 500 : 5000));
const ROUNDS = Number(arg('rounds') ?? (quick ? 1 : 3));
const DATABASES = (arg('databases') ?? 'sqlite,pg').split(',');
const PG_PORT = Number(arg('port') ?? 55443);
const NOW = '2026-03-14T03:00:00.000Z';

type Mode = 'full' | 'summary';
const ORDER: Mode[] = ['full', 'summary', 'summary', 'full'];

async function main() {
  console.log(machineLine());
  const sets = resultSets(ENTITIES, false, '2026-03-14T02:05:00.000Z');
  const ownerOf = new Map(
    sets.map(s => [
      s.evaluation.entityRef,
      String((s.entity.spec as { owner?: string } | undefined)?.owner ?? ''),
    ]),
  );
  const read: Record<
    Mode,
    (store: ScorecardsStore) => Promise<EvaluationSummary[]>
  > = {
    full: async store => (await store.listLatest()).map(l => l.evaluation),
    summary: async store =>
      (await store.listLatestSummaries()).map(l => l.summary),
  };
  const rollup = (evaluations: EvaluationSummary[]) =>
    computeRollups(
      evaluations.map(
        (evaluation): RollupEntry => ({
          evaluation,
          owner: ownerOf.get(evaluation.entityRef) || null,
          system: null,
          domain: null,
        }),
      ),
      { groupBy: 'owner', now: NOW },
    );

  let pg: ThrowawayPostgres | undefined;
  const tmp = mkdtempSync(join(tmpdir(), 'scorecards-rollups-'));
  const table: string[] = [];
  try {
    if (DATABASES.includes('pg')) pg = startThrowawayPostgres(PG_PORT);
    for (const database of DATABASES) {
      const knex =
        database === 'pg'
          ? benchKnex({ pg: pg!.connectionString() })
          : benchKnex({ sqlite: join(tmp, 'rollups.sqlite') });
      const store = await ScorecardsStore.create({
        getClient: async () => knex,
      } as unknown as DatabaseService);
      for (let i = 0; i < sets.length; i += 500) {
        await recordEvaluations(
          store,
          sets
            .slice(i, i + 500)
            .map(s => ({ ...s, at: s.evaluation.evaluatedAt })),
        );
      }
      const stored = await knex('scorecards_latest')
        .select(
          knex.raw('sum(length(evaluation_json)) as full'),
          knex.raw('sum(length(summary_json)) as summary'),
        )
        .first();
      console.log(
        `${database}: ${sets.length} latest rows; JSON per row ${(
          Number(stored.full) /
          sets.length /
          1024
        ).toFixed(1)} KB full, ${(
          Number(stored.summary) /
          sets.length /
          1024
        ).toFixed(1)} KB summary`,
      );
      const times: Record<Mode, number[]> = { full: [], summary: [] };
      const answers: Record<Mode, unknown> = { full: null, summary: null };
      for (let round = 0; round < ROUNDS; round++) {
        for (const mode of ORDER) {
          const t0 = performance.now();
          const rows = rollup(await read[mode](store));
          const ms = performance.now() - t0;
          times[mode].push(ms);
          answers[mode] = rows;
          console.log(
            `${database} round ${round + 1} ${mode.padEnd(7)}: ${ms.toFixed(
              0,
            )} ms, ${rows.length} owner rows (load ${loadavg()[0].toFixed(2)})`,
          );
        }
      }
      if (!isDeepStrictEqual(answers.full, answers.summary)) {
        throw new Error(`${database}: the two reads gave different rollups`);
      }
      const a = median(times.full);
      const b = median(times.summary);
      table.push(
        `| ${database} | ${sets.length} | ${a.toFixed(0)} ms | ${b.toFixed(
          0,
        )} ms | **×${(a / b).toFixed(1)}** | same rows |`,
      );
      await knex.destroy();
    }
  } finally {
    pg?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log('');
  console.log(
    `| database | latest rows | full result sets (median of ${
      2 * ROUNDS
    }) | summaries (median of ${2 * ROUNDS}) | speed-up | answers |`,
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const row of table) console.log(row);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
