/**
 * What the scorecards processor's cache entry costs the catalog on every visit of an entity,
 * in the form written until 2026-12-06 (`scorecard-v1`, a nested object) and the current one
 * (`scorecard-v2`, one flat array of strings, written with `firstSeenAt` alone under
 * `scorecard-v1`: `cachedState.ts`, `writeState`), side by side in one process.
 *
 * Per visit the catalog's processing engine parses the entity's cache row
 * (`DefaultProcessingDatabase.getProcessableEntities`: `JSON.parse(row.cache)`), and after
 * processing stable-stringifies the state without its `ttl` and the state the processors
 * collected (`DefaultCatalogProcessingEngine`: `fast-json-stable-stringify`, twice) to tell
 * whether to write it back; in between the processor decodes its entry (`decodeState`). This
 * bench does those four steps per entity, with the catalog's own `fast-json-stable-stringify`,
 * over the entries a default standard stamps (levels, scores, a few awaited refs), the two forms
 * alternated pass by pass, their order swapped every pass; medians per pass. A visit that
 * reuses its evaluation writes nothing, so the collected state is the parsed one, as here.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/scorecards/cacheState.bench.ts
 *     [--quick] [--entities <n>] [--passes <n>]
 */
import stableStringify from 'fast-json-stable-stringify';
import {
  LEGACY_STATE_KEY,
  STATE_KEY,
  decodeState,
  encodeState,
} from '@internal/plugin-catalog-backend-module-scorecards/src/processor/cachedState';
import { stampOf } from '@internal/plugin-scorecards-common';
import { arg } from '../benchArgs';
import { machineLine } from '../machine';
import { median } from '../stats';

const quick = process.argv.includes('--quick');
const ENTITIES = Number(arg('entities') ?? (quick ? 1000 : 5000));
const PASSES = Number(arg('passes') ?? (quick ? 6 : 20));
/** The processor's name: the catalog keeps each processor's cache under it. */
const PROCESSOR = 'ScorecardsProcessor';
const LEVELS = ['L0', 'L1', 'L2', 'L3', 'none', 'not-rated'];

/** The cache rows of `ENTITIES` entities in both forms, as the catalog stores them. */
function rows(): Record<'v1' | 'v2', string[]> {
  const v1: string[] = [];
  const v2: string[] = [];
  for (let i = 0; i < ENTITIES; i++) {
    const state = {
      firstSeenAt: new Date(Date.UTC(2026, 2, 1) + i * 60_000).toISOString(),
      stamp: stampOf(LEVELS[i % LEVELS.length], `${i % 46}/45`, 'default@7'),
      // One entity in five waits for an entity the snapshot lacks (`awaitedRefs`).
      awaits: i % 5 === 0 ? [`system:default/system-${i % 97}`] : undefined,
    };
    const legacy = {
      firstSeenAt: state.firstSeenAt,
      stamp: {
        labels: { ...state.stamp.labels },
        annotations: { ...state.stamp.annotations },
      },
      ...(state.awaits ? { awaits: state.awaits } : {}),
    };
    const row = (key: string, value: unknown) =>
      JSON.stringify({ ttl: 5, [PROCESSOR]: { [key]: value } });
    v1.push(row(LEGACY_STATE_KEY, legacy));
    // As `writeState` writes it: the flat form, and `firstSeenAt` alone in the nested one
    // (for a build before 2026-12-06 during a rolling deploy or a rollback).
    v2.push(
      JSON.stringify({
        ttl: 5,
        [PROCESSOR]: {
          [STATE_KEY]: encodeState(state),
          [LEGACY_STATE_KEY]: { firstSeenAt: state.firstSeenAt },
        },
      }),
    );
  }
  return { v1, v2 };
}

/** One visit of each row: parse, decode, compare the state as the catalog does. */
function visit(form: 'v1' | 'v2', cacheRows: string[]): number {
  let held = 0; // what was computed, so that no step is optimized away
  for (const row of cacheRows) {
    const state = JSON.parse(row);
    const entry = state[PROCESSOR];
    const decoded =
      form === 'v2'
        ? decodeState(entry[STATE_KEY], undefined)
        : decodeState(undefined, entry[LEGACY_STATE_KEY]);
    held += decoded?.state.firstSeenAt.length ?? 0;
    const { ttl: _ttl, ...withoutTtl } = state;
    if (
      stableStringify(withoutTtl) !== stableStringify({ [PROCESSOR]: entry })
    ) {
      held += 1;
    }
  }
  return held;
}

function main() {
  console.log(machineLine());
  const cacheRows = rows();
  const times = { v1: [] as number[], v2: [] as number[] };
  let held = 0;
  // The first pass of each form warms it up and is not counted.
  for (let pass = -1; pass < PASSES; pass++) {
    const order: ('v1' | 'v2')[] = pass % 2 ? ['v1', 'v2'] : ['v2', 'v1'];
    for (const form of order) {
      const t = performance.now();
      held += visit(form, cacheRows[form]);
      if (pass >= 0) times[form].push(performance.now() - t);
    }
  }
  const [v1, v2] = [median(times.v1), median(times.v2)];
  const size = (form: 'v1' | 'v2') =>
    cacheRows[form].reduce((sum, row) => sum + row.length, 0) / ENTITIES;
  console.log(
    `${ENTITIES} cache rows a form, ${PASSES} passes a form (${held} values read)`,
  );
  console.log(
    '| form | row (bytes, mean) | ms per pass (median) | per visit |',
  );
  console.log('| --- | --- | --- | --- |');
  for (const [label, form, ms] of [
    ['`scorecard-v1` (nested object, until 2026-12-06)', 'v1', v1],
    [
      '`scorecard-v2` (flat array) and `scorecard-v1` (`firstSeenAt`)',
      'v2',
      v2,
    ],
  ] as const) {
    console.log(
      `| ${label} | ${size(form).toFixed(0)} | ${ms.toFixed(1)} | ${(
        (ms * 1000) /
        ENTITIES
      ).toFixed(2)} µs |`,
    );
  }
  console.log(
    `RESULT processor cache entry, parse + decode + two stable stringifies a visit, v2 / v1: ${(
      v2 / v1
    ).toFixed(3)}`,
  );
}

main();
