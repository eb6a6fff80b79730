/**
 * Reads over the whole catalog's results (`GET /rollups`, campaign progress, the checks page,
 * scorecards §7.4): the stored latest rows read and parsed, then `computeRollups` by owner.
 * **full**: every row's complete result set (`listLatest`, ~34 KB of JSON per entity with the
 * default standard; what the routes read until 2026-12-02). **parse**: every summary stored
 * beside it, parsed on each read (`listLatestSummaries` of a store that has read nothing yet;
 * what they read until 2026-12-07). **cached**: the same call on a store that has read before
 * (`LatestSummaryCache`), after 1 % of the rows were written since its previous read (their
 * write order raised, untimed), so it parses those. Same database, same rows, side by side in
 * one run, order A-B-C-C-B-A per round; SQLite (a file, as `./portal start` would with a file
 * database) and/or a throwaway PostgreSQL 15. The three answers are compared row for row. With
 * `--expose-gc`, also the heap the cache holds.
 *
 *   node --expose-gc --require @backstage/cli/config/nodeTransform.cjs bench/scorecards/rollupsRead.bench.ts
 *     [--quick] [--entities <n>] [--rounds <n>] [--databases sqlite,pg] [--port <pg port>]
 */
import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  EvaluationSummary,
  RollupEntry,
  computeRollups,
} from '@internal/plugin-scorecards-common';
import { ScorecardsStore } from '@internal/plugin-scorecards-backend/src/database/ScorecardsStore';
import { raiseLatestWriteSeq } from '@internal/plugin-scorecards-backend/src/database/latestWrites';
import { recordEvaluations } from '@internal/plugin-scorecards-backend/src/evaluation/recordEvaluation';
import { Knex } from 'knex';
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

type Mode = 'full' | 'parse' | 'cached';
const ORDER: Mode[] = ['full', 'parse', 'cached', 'cached', 'parse', 'full'];
const MODES: Mode[] = ['full', 'parse', 'cached'];

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
    (warm: ScorecardsStore, knex: Knex) => Promise<EvaluationSummary[]>
  > = {
    full: async warm => (await warm.listLatest()).map(l => l.evaluation),
    parse: async (_warm, knex) =>
      (await new ScorecardsStore(knex).listLatestSummaries()).map(
        l => l.summary,
      ),
    cached: async warm =>
      (await warm.listLatestSummaries()).map(l => l.summary),
  };
  /** As if a batch of 1 % of the entities had been written since the previous read. */
  const rewriteSome = (knex: Knex, round: number) =>
    knex.transaction(async tx => {
      const seq = await raiseLatestWriteSeq(tx);
      const refs = sets
        .filter((_, i) => i % 100 === round % 100)
        .map(s => s.evaluation.entityRef);
      for (let i = 0; i < refs.length; i += 500)
        await tx('scorecards_latest')
          .whereIn('entity_ref', refs.slice(i, i + 500))
          .update({ write_seq: seq });
    });
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
      const heap = await cacheHeap(knex);
      if (heap !== undefined)
        console.log(
          `${database}: the cache holds ${(heap / 1048576).toFixed(
            1,
          )} MB of heap (${(heap / sets.length / 1024).toFixed(
            1,
          )} KB per entity)`,
        );
      const times: Record<Mode, number[]> = { full: [], parse: [], cached: [] };
      const answers: Record<Mode, unknown> = {
        full: null,
        parse: null,
        cached: null,
      };
      await store.listLatestSummaries();
      let writes = 0;
      for (let round = 0; round < ROUNDS; round++) {
        for (const mode of ORDER) {
          if (mode === 'cached') await rewriteSome(knex, writes++);
          const t0 = performance.now();
          const rows = rollup(await read[mode](store, knex));
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
      for (const mode of MODES) {
        if (!isDeepStrictEqual(answers.full, answers[mode]))
          throw new Error(`${database}: ${mode} gave a different rollup`);
      }
      const [a, b, c] = MODES.map(mode => median(times[mode]));
      table.push(
        `| ${database} | ${sets.length} | ${a.toFixed(0)} ms | ${b.toFixed(
          0,
        )} ms | ${c.toFixed(0)} ms | ×${(a / b).toFixed(1)} · **×${(
          b / c
        ).toFixed(1)}** | same rows |`,
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
    }) | every summary parsed | cached, 1 % written since | full → parsed · parsed → cached | answers |`,
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const row of table) console.log(row);
}

/** The heap a store's summary cache holds after a first read (needs `--expose-gc`). */
async function cacheHeap(knex: Knex): Promise<number | undefined> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return undefined;
  gc();
  const before = process.memoryUsage().heapUsed;
  const store = new ScorecardsStore(knex);
  await store.listLatestSummaries();
  gc();
  const held = process.memoryUsage().heapUsed - before;
  // keeps `store` (and its cache) reachable until measured
  return store ? held : undefined;
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
