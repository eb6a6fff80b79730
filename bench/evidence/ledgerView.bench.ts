/**
 * `POST /read` with the ledger of entities that have a year of change history, the whole
 * 400-day window against the `ledgerView` the scorecards mirror asks for (the default standard's
 * needs: 3 newest per environment, kind, status and rollback-or-not, 2 newest artifacts; kept in
 * SQL by `compactLedgerRows`). `--refs` entities (200, the client's batch) × `--days` × `--per-day`
 * changes (production and staging deploys, config changes; a new artifact per deploy), seeded
 * with direct SQL; then the same read of every ref, whole and viewed alternately, `--runs`
 * times each, timed by the client (HTTP round trip and JSON parse). SQLite (a file) and a
 * throwaway PostgreSQL 15 on the same machine. Each viewed answer is checked to be part of the
 * whole one.
 *
 * Then what the catalog module's evidence mirror asks for in its full reads (every 10 min): with
 * every ledger, viewed (every 6 h, `ledgerFullEveryMs`), against the full reads between them,
 * which leave the ledger out; each entity also has 12 facts, 2 collection statuses and 3 edges
 * (`seedRows.ts`, as in `read.bench.ts`).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/evidence/ledgerView.bench.ts
 *     [--quick] [--refs <n>] [--days <n>] [--per-day <n>] [--runs <n>] [--databases pg,sqlite] [--port <n>]
 */
import { Knex } from 'knex';
import {
  benchEntities,
  startBenchBackend,
  withBenchDatabase,
} from './benchBackend';
import { seedChangeHistory, seedFactsCollectionEdges } from './seedRows';
import { arg } from '../benchArgs';
import { median } from '../stats';
import { loadAverage, machineLine } from '../machine';

const quick = process.argv.includes('--quick');
const REFS = Number(arg('refs') ?? (quick ? 50 : 200));
const DAYS = Number(arg('days') ?? (quick ? 60 : 365));
const PER_DAY = Number(arg('per-day') ?? 2.8);
const RUNS = Number(arg('runs') ?? (quick ? 3 : 7));
const databases = (arg('databases') ?? 'pg,sqlite').split(',');
const VIEW = { perClass: 3, artifacts: 2 };

const ref = (i: number) => `component:default/bench-${i}`;

async function seed(knex: Knex, now: number, isPg: boolean) {
  const perRef = Math.round(DAYS * PER_DAY);
  const per = isPg ? 1000 : 100;
  await knex.transaction(async trx => {
    await seedChangeHistory(trx, {
      count: REFS,
      ref,
      changesOf: () => perRef,
      perDayOf: () => PER_DAY,
      now,
      per,
    });
    await seedFactsCollectionEdges(trx, REFS, ref, now, per);
  });
  return perRef;
}

async function main() {
  console.log(machineLine());
  const table: string[] = [];
  const mirrorTable: string[] = [];
  for (const database of databases) {
    await withBenchDatabase(
      database,
      Number(arg('port') ?? 55439),
      async ({ knex, isPg }) => {
        const backend = await startBenchBackend({
          knex,
          batchMode: 'set-based',
          entities: benchEntities(REFS),
        });
        const perRef = await seed(knex, Date.now(), isPg);
        console.log(
          `${database}: ${REFS} refs × ${perRef} changes (${DAYS} d at ${PER_DAY} a day)`,
        );
        const refs = Array.from({ length: REFS }, (_, i) => ref(i));
        const read = async (view: boolean, include: string[] = ['ledger']) => {
          const t = performance.now();
          const res = await fetch(`${backend.baseUrl}/read`, {
            method: 'POST',
            headers: {
              authorization: backend.authorization,
              'content-type': 'application/json',
            },
            body: JSON.stringify({
              entityRefs: refs,
              include,
              ...(view ? { ledgerView: VIEW } : {}),
            }),
          });
          const text = await res.text();
          const body = JSON.parse(text);
          if (res.status !== 200)
            throw new Error(`${res.status}: ${text.slice(0, 300)}`);
          const ms = performance.now() - t;
          const changes = refs.reduce(
            (sum, r) => sum + (body.entities[r].ledger?.length ?? 0),
            0,
          );
          return { ms, bytes: text.length, changes, body };
        };
        const whole: number[] = [];
        const viewed: number[] = [];
        let last:
          | Record<'whole' | 'viewed', Awaited<ReturnType<typeof read>>>
          | undefined;
        for (let run = 0; run < RUNS; run++) {
          const order = run % 2 ? [true, false] : [false, true];
          const got: Partial<
            Record<'whole' | 'viewed', Awaited<ReturnType<typeof read>>>
          > = {};
          for (const view of order) {
            const r = await read(view);
            (view ? viewed : whole).push(r.ms);
            got[view ? 'viewed' : 'whole'] = r;
          }
          last = got as Record<
            'whole' | 'viewed',
            Awaited<ReturnType<typeof read>>
          >;
          console.log(
            `  run ${run + 1}: whole ${last.whole.ms.toFixed(
              0,
            )} ms, viewed ${last.viewed.ms.toFixed(
              0,
            )} ms (load ${loadAverage()})`,
          );
        }
        // The mirror's full reads: every ledger (viewed) against none, alternated.
        const MIRROR = ['facts', 'collection', 'edges'];
        const withLedgers: number[] = [];
        const withoutLedgers: number[] = [];
        let light: Awaited<ReturnType<typeof read>> | undefined;
        for (let run = 0; run < RUNS; run++) {
          for (const ledger of run % 2 ? [false, true] : [true, false]) {
            const r = await read(
              ledger,
              ledger ? [...MIRROR, 'ledger'] : MIRROR,
            );
            (ledger ? withLedgers : withoutLedgers).push(r.ms);
            if (!ledger) light = r;
          }
        }
        if (light!.changes !== 0) throw new Error('a ledger was read');
        for (const r of refs) {
          const all = new Set(
            last!.whole.body.entities[r].ledger.map(
              (c: { id: string }) => c.id,
            ),
          );
          for (const c of last!.viewed.body.entities[r].ledger)
            if (!all.has(c.id))
              throw new Error(`${r}: ${c.id} is not in the whole answer`);
        }
        const a = median(whole);
        const b = median(viewed);
        const c = median(withLedgers);
        const d = median(withoutLedgers);
        mirrorTable.push(
          `| ${
            isPg ? 'PostgreSQL 15' : 'SQLite (file)'
          } | ${REFS} × ${perRef} | ${c.toFixed(0)} ms | ${d.toFixed(0)} ms (${(
            light!.bytes / 1048576
          ).toFixed(2)} MB) | **×${(d / c).toFixed(3)}** |`,
        );
        table.push(
          `| ${
            isPg ? 'PostgreSQL 15' : 'SQLite (file)'
          } | ${REFS} × ${perRef} | ${last!.whole.changes.toLocaleString(
            'en-US',
          )} / ${(last!.whole.bytes / 1048576).toFixed(1)} MB / ${a.toFixed(
            0,
          )} ms | ${last!.viewed.changes.toLocaleString('en-US')} / ${(
            last!.viewed.bytes / 1048576
          ).toFixed(2)} MB / ${b.toFixed(0)} ms | **×${(a / b).toFixed(1)}** |`,
        );
        await backend.stop();
      },
    );
  }
  console.log(
    `\n| database | refs × changes | whole window: changes / JSON / median of ${RUNS} | ledgerView ${JSON.stringify(
      VIEW,
    )} | faster |`,
  );
  console.log('| --- | --- | --- | --- | --- |');
  for (const row of table) console.log(row);
  console.log(
    `\n| database | refs × changes | mirror's full read with ledgers (viewed), median of ${RUNS} | between ledger reads (no ledger) | between / with |`,
  );
  console.log('| --- | --- | --- | --- | --- |');
  for (const row of mirrorTable) console.log(row);
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
