/**
 * The catalog module's evidence mirror (`EvidenceMirror`) against the real evidence backend
 * (its store and router over a throwaway PostgreSQL or an SQLite file) while services deploy,
 * some with busy ledgers. Two stores one after the other, each freshly seeded with direct SQL:
 *
 * - `quiet`: `--refs` entities, each with `--days` of changes at `--per-day` (2.8 a day: a year
 *   is ~1,000 changes), 12 facts, 2 collection statuses and 3 observed edges;
 * - `busy`: the same, except `--busy` of them at `--busy-per-day` (60 a day: ~22,000 changes).
 *
 * On each store, side by side, two mirrors with the options the catalog module gives them (the
 * default standard's `ledgerNeedsOf`; default request sizes, ledger budget and retry times),
 * each through its own real client (`DefaultEvidenceService`: 2 s timeout, circuit breaker):
 * `marks` as it is, and `refs` whose client drops the feed's write marks (what a store from
 * before them answers: every ref a poll names is read whole). Per mirror:
 *
 * - **start**: refreshes until the mirror answers (`loaded`: a full read, then the first round
 *   of ledgers in slices of ~10 s), in all and the longest;
 * - **polls**: `--polls` times, `--interval` ms apart (the module's `evidenceInterval`, 5 s),
 *   one change posted for each of `--writes` refs (every busy ref among them) through
 *   `POST /changes/batch`, half an interval later a refresh of each mirror (in turn, the order
 *   alternating); each
 *   busy ref's mirrored ledger must then hold its newest change (the bench fails otherwise).
 *   A poll asks from 30 s (`overlapMs`) before the previous one's `until`, for slow commits,
 *   so every write is listed by ~7 polls: the `refs` mirror reads its ref whole each time;
 * - refs read whole per poll, the client's requests that timed out, and the refs the mirror
 *   reads as an outage at the end.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/scorecards/mirrorBusyLedgers.bench.ts
 *     [--quick] [--refs <n>] [--days <n>] [--per-day <n>] [--busy <n>] [--busy-per-day <n>]
 *     [--polls <n>] [--interval <ms>] [--writes <n>] [--databases pg,sqlite] [--port <n>]
 */
import { ConfigReader } from '@backstage/config';
import { DefaultEvidenceService } from '@internal/plugin-evidence-node';
import {
  defaultStandardFile,
  ledgerNeedsOf,
  loadStandard,
} from '@internal/plugin-scorecards-common';
import { EvidenceMirror } from '@internal/plugin-scorecards-node/src/EvidenceMirror';
import { readScorecardsConfig } from '@internal/plugin-scorecards-node/src/readScorecardsConfig';
import {
  BenchBackend,
  benchEntities,
  startBenchBackend,
  withBenchDatabase,
} from '../evidence/benchBackend';
import {
  seedChangeHistory,
  seedFactsCollectionEdges,
} from '../evidence/seedRows';
import { arg } from '../benchArgs';
import { loadAverage, machineLine } from '../machine';
import { median } from '../stats';

const quick = process.argv.includes('--quick');
const REFS = Number(arg('refs') ?? (quick ? 60 : 300));
const DAYS = Number(arg('days') ?? (quick ? 30 : 365));
const PER_DAY = Number(arg('per-day') ?? 2.8);
const BUSY = Number(arg('busy') ?? (quick ? 2 : 10));
const BUSY_PER_DAY = Number(arg('busy-per-day') ?? 60);
const POLLS = Number(arg('polls') ?? (quick ? 3 : 10));
const WRITES = Number(arg('writes') ?? (quick ? 10 : 40));
const INTERVAL_MS = Number(arg('interval') ?? (quick ? 2000 : 5000));
const databases = (arg('databases') ?? 'pg,sqlite').split(',');

const ref = (i: number) => `component:default/bench-${i}`;
/** The busy refs: spread over the catalog, so they fall in different requests. */
const isBusy = (i: number) =>
  i % Math.max(1, Math.floor(REFS / BUSY)) === 0 &&
  i / Math.max(1, Math.floor(REFS / BUSY)) < BUSY;

const standard = loadStandard(defaultStandardFile, { fileName: 'default' });
const config = readScorecardsConfig(new ConfigReader({}));

type Side = 'refs' | 'marks';
const SIDES: Side[] = ['refs', 'marks'];

interface SideResult {
  startMs: number;
  startLongestMs: number;
  pollMs: number[];
  /** refs read whole, per poll */
  pollRefs: number[];
  timeouts: number;
  unreadable: string[];
}

interface StoreResult {
  changes: number;
  sides: Record<Side, SideResult>;
}

async function postChanges(backend: BenchBackend, poll: number) {
  const now = Date.now();
  const targets = Array.from({ length: REFS }, (_, i) => i)
    .filter(isBusy)
    .concat(
      Array.from({ length: WRITES }, (_, w) => (w * 7 + poll) % REFS).filter(
        i => !isBusy(i),
      ),
    )
    .slice(0, Math.max(WRITES, BUSY));
  const items = targets.map(i => ({
    idempotencyKey: `poll-${poll}-${i}`,
    entityRef: ref(i),
    kind: 'deploy',
    environment: 'production',
    ref: `poll-${poll}`,
    version: `poll-${poll}`,
    summary: `Deploy ${poll} of bench-${i}`,
    actor: { type: 'bot', id: 'github-actions' },
    source: { system: 'github-actions', externalId: `poll-${poll}-${i}` },
    startedAt: new Date(now - 60_000).toISOString(),
    finishedAt: new Date(now - 30_000).toISOString(),
    status: 'succeeded',
    attributes: {
      artifactDigest: `sha256:${(poll * 100_000 + i)
        .toString(16)
        .padStart(64, 'f')}`,
    },
  }));
  const res = await fetch(`${backend.baseUrl}/changes/batch`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: backend.authorization,
    },
    body: JSON.stringify({ items }),
  });
  if (!res.ok) throw new Error(`${res.status}: ${await res.text()}`);
}

async function runStore(
  database: string,
  port: number,
  busy: boolean,
): Promise<StoreResult> {
  return withBenchDatabase(database, port, async ({ knex, isPg }) => {
    const backend = await startBenchBackend({
      knex,
      batchMode: 'set-based',
      entities: benchEntities(REFS),
    });
    try {
      const now = Date.now();
      const per = isPg ? 1000 : 100;
      const rateOf = (i: number) =>
        busy && isBusy(i) ? BUSY_PER_DAY : PER_DAY;
      const changes = await knex.transaction(async trx => {
        const n = await seedChangeHistory(trx, {
          count: REFS,
          ref,
          changesOf: i => Math.round(DAYS * rateOf(i)),
          perDayOf: rateOf,
          now,
          per,
        });
        await seedFactsCollectionEdges(trx, REFS, ref, now, per);
        return n;
      });
      if (isPg) await knex.raw('ANALYZE');

      const token = backend.authorization.replace(/^Bearer /, '');
      const mirrors = SIDES.map(side => {
        const counts = { timeouts: 0, wholeRefs: 0 };
        // counts what the mirror reads whole, and for `refs` drops the feed's marks
        const sideFetch = (async (
          input: Parameters<typeof fetch>[0],
          init?: RequestInit,
        ) => {
          const url = String(input);
          if (url.endsWith('/read') && init?.body) {
            const body = JSON.parse(String(init.body));
            if (
              body.include.includes('ledger') &&
              body.include.includes('facts')
            ) {
              counts.wholeRefs += body.entityRefs.length;
            }
          }
          try {
            const res = await fetch(input, init);
            if (side === 'marks' || !url.includes('/entities/changed'))
              return res;
            const { marks: _dropped, ...answer } = await res.json();
            return Response.json(answer, { status: res.status });
          } catch (error) {
            if (init?.signal?.aborted) counts.timeouts++;
            throw error;
          }
        }) as typeof fetch;
        const mirror = new EvidenceMirror({
          evidence: new DefaultEvidenceService({
            baseUrl: async () => backend.baseUrl,
            token: async () => token,
            fetch: sideFetch,
          }),
          config,
          ledgerNeeds: ledgerNeedsOf(standard),
        });
        const result: SideResult = {
          startMs: 0,
          startLongestMs: 0,
          pollMs: [],
          pollRefs: [],
          timeouts: 0,
          unreadable: [],
        };
        return { side, mirror, counts, result };
      });

      for (const { mirror, result } of mirrors) {
        const startAt = performance.now();
        for (let n = 0; !mirror.loaded; n++) {
          if (n === 50) throw new Error('not loaded after 50 refreshes');
          const t = performance.now();
          await mirror.refresh();
          result.startLongestMs = Math.max(
            result.startLongestMs,
            performance.now() - t,
          );
        }
        result.startMs = performance.now() - startAt;
      }

      for (let poll = 0; poll < POLLS; poll++) {
        const due = performance.now() + INTERVAL_MS;
        await postChanges(backend, poll);
        // half an interval old when polled, as the writes between two polls are on average
        await new Promise(resolve => setTimeout(resolve, INTERVAL_MS / 2));
        for (const { side, mirror, counts, result } of poll % 2
          ? [...mirrors].reverse()
          : mirrors) {
          const before = counts.wholeRefs;
          const t = performance.now();
          await mirror.refresh();
          result.pollMs.push(performance.now() - t);
          result.pollRefs.push(counts.wholeRefs - before);
          for (let i = 0; i < REFS; i++) {
            if (!isBusy(i)) continue;
            const ledger = mirror.read([ref(i)])?.evidence.ledger ?? [];
            if (!ledger.some(r => r.version === `poll-${poll}`)) {
              throw new Error(
                `${side}: ${ref(i)}: poll ${poll}'s deploy is not mirrored`,
              );
            }
          }
        }
        const wait = due - performance.now();
        if (wait > 0 && poll < POLLS - 1) {
          await new Promise(resolve => setTimeout(resolve, wait));
        }
      }
      for (const { mirror, counts, result } of mirrors) {
        result.timeouts = counts.timeouts;
        result.unreadable = mirror.unreadable;
      }
      return {
        changes,
        sides: Object.fromEntries(
          mirrors.map(m => [m.side, m.result]),
        ) as Record<Side, SideResult>,
      };
    } finally {
      await backend.stop();
    }
  });
}

async function main() {
  console.log(machineLine());
  const port = Number(arg('port') ?? 55441);
  const rows: string[] = [];
  const ms = (v: number) => v.toFixed(0);
  for (const database of databases) {
    const name = database === 'pg' ? 'PostgreSQL 15' : 'SQLite (file)';
    for (const busy of [false, true]) {
      const store = busy ? 'busy' : 'quiet';
      const r = await runStore(database, port, busy);
      for (const side of SIDES) {
        const x = r.sides[side];
        console.log(
          `${name} ${store}, ${side}: ${r.changes.toLocaleString(
            'en-US',
          )} changes; loaded in ${ms(x.startMs)} ms (longest refresh ${ms(
            x.startLongestMs,
          )} ms); polls ${x.pollMs
            .map(ms)
            .join(', ')} ms, reading ${x.pollRefs.join(', ')} refs whole; ${
            x.timeouts
          } requests timed out; unreadable: ${
            x.unreadable.join(', ') || 'none'
          } (load ${loadAverage()})`,
        );
      }
      const { refs, marks } = r.sides;
      const sum = (list: number[]) => list.reduce((a, b) => a + b, 0);
      rows.push(
        `| ${name} | ${store} (${r.changes.toLocaleString('en-US')}) | ${ms(
          refs.startMs,
        )} / ${ms(marks.startMs)} ms | ${ms(median(refs.pollMs))} / ${ms(
          median(marks.pollMs),
        )} ms (**×${(median(marks.pollMs) / median(refs.pollMs)).toFixed(
          2,
        )}**) | ${ms(Math.max(...refs.pollMs))} / ${ms(
          Math.max(...marks.pollMs),
        )} ms | ${sum(refs.pollRefs)} / ${sum(marks.pollRefs)} (×${(
          sum(marks.pollRefs) / sum(refs.pollRefs)
        ).toFixed(2)}) | ${refs.timeouts} / ${marks.timeouts} | ${
          refs.unreadable.length
        } / ${marks.unreadable.length} |`,
      );
    }
  }
  console.log(
    `\n${REFS} refs, ${DAYS} days at ${PER_DAY} a day; busy: ${BUSY} of them at ${BUSY_PER_DAY} a day; ${POLLS} polls ${INTERVAL_MS} ms apart, each after ${Math.max(
      WRITES,
      BUSY,
    )} changes; refs (the feed's refs alone) / marks (with its write marks)\n`,
  );
  console.log(
    '| database | store (changes) | until the mirror answers | poll, median | poll, longest | refs read whole in the polls | requests timed out | refs read as an outage |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
