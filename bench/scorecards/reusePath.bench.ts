/**
 * The per-visit cost of the scorecards processor in a steady catalog pass, when every
 * evaluation is reused (`ScorecardsProcessor.preProcessEntity` → `EvidenceMirror.read`,
 * `EvaluationReuse.keyOf` and `get`, the stamp): the module's steady overhead in the pipeline
 * bench is this path, once per scored entity and pass (docs/benchmarks.md, "Where the steady
 * overhead is").
 *
 * The real processor with the module's wiring: an `EvidenceMirror` loaded from the synthetic
 * world's evidence (`fakeEvidenceStore.ts`), the catalog snapshot of that world (`indexCatalog`),
 * an `EvaluationReuse` (1 h, as configured by default), refresh keys for awaited refs, a
 * processor cache per entity. A first visit of every entity evaluates; the timed passes then
 * visit every scored entity again (`--visits` times a pass), and all of them must be reused
 * (the fresh evaluations during them are counted and printed). Also timed alone: the mirror's
 * read and the reuse key of each entity. Main-thread CPU and wall time per pass, medians.
 *
 * `--baseline <dir>` loads an older copy of the module's processor and of scorecards-node's
 * mirror beside the current code and alternates passes of both in one process (order swapped
 * every pass, medians); before timing, it compares both sides' stamped entities and refresh
 * keys over every entity (they must be equal: the change is not to alter any decision).
 *
 *   mkdir -p bench/scorecards/.baseline-reuse && git archive HEAD \
 *     plugins/catalog-backend-module-scorecards/src plugins/scorecards-node/src \
 *     | tar -x -C bench/scorecards/.baseline-reuse
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/scorecards/reusePath.bench.ts \
 *     [--quick] [--entities <n>] [--passes <n>] [--visits <n>] [--baseline bench/scorecards/.baseline-reuse]
 */
import { Entity } from '@backstage/catalog-model';
import { CatalogProcessorEmit } from '@backstage/plugin-catalog-node';
import * as currentProcessor from '@internal/plugin-catalog-backend-module-scorecards/src/processor/ScorecardsProcessor';
import * as currentReuse from '@internal/plugin-catalog-backend-module-scorecards/src/processor/EvaluationReuse';
import * as currentMirror from '@internal/plugin-scorecards-node/src/EvidenceMirror';
import {
  defaultStandardFile,
  entityRefOf,
  indexCatalog,
  loadStandard,
} from '@internal/plugin-scorecards-common';
import path from 'node:path';
import { arg } from '../benchArgs';
import { loadAverage, machineLine, threadCpuMs } from '../machine';
import { median } from '../stats';
import { fakeEvidenceStore } from './fakeEvidenceStore';
import { benchLocation, entityCache, quietLogger } from './processorHarness';

const quick = process.argv.includes('--quick');
const ENTITIES = Number(arg('entities') ?? (quick ? 500 : 2000));
const PASSES = Number(arg('passes') ?? (quick ? 4 : 15));
const BASELINE = arg('baseline');
/**
 * Visits of every entity per pass (and 4× as many reads and keys alone): the thread CPU clock
 * ticks in milliseconds, so a pass should take well over 100 ms.
 */
const VISITS = Number(arg('visits') ?? (quick ? 2 : 5));

/** The three classes of one side (the current workspace code or an older copy). */
interface Lib {
  ScorecardsProcessor: typeof currentProcessor.ScorecardsProcessor;
  EvaluationReuse: typeof currentReuse.EvaluationReuse;
  EvidenceMirror: typeof currentMirror.EvidenceMirror;
}

function loadCopy(dir: string): Lib {
  const at = (file: string) => require(path.resolve(dir, file));
  return {
    ...at(
      'plugins/catalog-backend-module-scorecards/src/processor/ScorecardsProcessor.ts',
    ),
    ...at(
      'plugins/catalog-backend-module-scorecards/src/processor/EvaluationReuse.ts',
    ),
    ...at('plugins/scorecards-node/src/EvidenceMirror.ts'),
  };
}

const noop = () => {};

async function main() {
  console.log(machineLine());
  const store = fakeEvidenceStore(ENTITIES, 42);
  const { world } = store;
  const standard = loadStandard(defaultStandardFile, { fileName: 'default' });
  const catalog = indexCatalog({
    entities: world.entities,
    refreshedAt: new Date(Date.now() - 30_000).toISOString(),
  });
  const sides: { label: string; lib: Lib }[] = [
    ...(BASELINE ? [{ label: 'baseline', lib: loadCopy(BASELINE) }] : []),
    {
      label: 'current',
      lib: {
        ...currentProcessor,
        ...currentReuse,
        ...currentMirror,
      },
    },
  ];

  const versions = { catalog: () => 'c1', waivers: () => 'w1' };
  const prepared = await Promise.all(
    sides.map(async ({ label, lib }) => {
      const mirror = new lib.EvidenceMirror({
        evidence: store.evidence,
        config: standard.config,
      });
      await mirror.refresh();
      const reuseOptions = {
        reuseForMs: 3_600_000,
        catalogFreshForMs: standard.config.catalogFreshForSeconds * 1000,
      };
      // A baseline from before 2026-12-05 evening takes the standard first (its rollout
      // instants); the current one reads every time limit from the engine.
      const reuse: InstanceType<Lib['EvaluationReuse']> =
        lib.EvaluationReuse.length >= 2
          ? new (lib.EvaluationReuse as any)(standard, reuseOptions)
          : new lib.EvaluationReuse(reuseOptions);
      let evaluations = 0;
      const set = reuse.set.bind(reuse);
      reuse.set = (...args: Parameters<typeof set>) => {
        evaluations++;
        set(...args);
      };
      const processor = new lib.ScorecardsProcessor({
        standard,
        evidence: store.evidence,
        catalog: () => catalog,
        waivers: () => world.waivers,
        logger: quietLogger,
        mirror,
        // Both shapes: a baseline from before 2026-12-05 afternoon versions the whole snapshot
        // (`versions.catalog`), the current code asks what changed (`catalogChanges`).
        versions,
        catalogChanges: { generation: () => 1, changedSince: () => false },
        reuse,
        awaitReferences: true,
      });
      // Entities the catalog processed before (their cache holds our state), as in production.
      const seenAt = new Date().toISOString();
      const caches = world.scored.map(() => entityCache(seenAt));
      const visit = (entity: Entity, n: number, emit: CatalogProcessorEmit) =>
        processor.preProcessEntity(
          entity,
          benchLocation,
          emit,
          benchLocation,
          caches[n],
        );
      return {
        label,
        lib,
        mirror,
        reuse,
        visit,
        evaluations: () => evaluations,
      };
    }),
  );

  // The first visit evaluates; the second is reused and must give the same entity and keys on
  // both sides.
  const answers = await Promise.all(
    prepared.map(async side => {
      for (const [n, entity] of world.scored.entries()) {
        await side.visit(entity, n, noop);
      }
      const before = side.evaluations();
      const out: string[] = [];
      for (const [n, entity] of world.scored.entries()) {
        const keys: unknown[] = [];
        const stamped = await side.visit(entity, n, result =>
          keys.push(result),
        );
        out.push(JSON.stringify([stamped, keys]));
      }
      if (side.evaluations() !== before) {
        throw new Error(`${side.label}: a second visit evaluated again`);
      }
      return out;
    }),
  );
  for (const [s, side] of prepared.entries()) {
    const differing = answers[s].filter((a, n) => a !== answers[0][n]).length;
    if (differing) {
      throw new Error(
        `${side.label}: ${differing} visits differ from ${prepared[0].label}`,
      );
    }
  }
  const stamped = answers[0].filter(a => a.includes('maturity-level')).length;
  console.log(
    `${world.scored.length} scored entities (${stamped} stamped), ${PASSES} passes a side; ` +
      `${
        prepared.length > 1
          ? 'stamped entities and refresh keys equal on both sides'
          : 'one side'
      }`,
  );

  // What a reused visit reads from the mirror and hashes for its key, timed alone.
  const refsOf = world.scored.map(entity => [
    entityRefOf(entity),
    String((entity.spec as { owner?: string }).owner ?? ''),
  ]);
  const keyInputs = world.scored.map(entity => ({
    entity,
    evidenceVersion: '12.345/6',
    catalogVersion: 'c1',
    waiversVersion: 'w1',
    firstSeenAt: new Date().toISOString(),
  }));

  // Main-thread CPU (the machine is shared, wall time alone moves with the load) and wall
  // time of each case, per pass.
  const cpuMs = threadCpuMs;
  const cases = [
    'visit, wall',
    'visit, CPU',
    'mirror.read, CPU',
    'keyOf, CPU',
  ] as const;
  const times = prepared.map(() =>
    Object.fromEntries(cases.map(c => [c, [] as number[]])),
  );
  const evaluationsBefore = prepared.map(side => side.evaluations());
  let held = 0; // what was read, so that nothing is optimized away
  const emit: CatalogProcessorEmit = () => {
    held++;
  };
  for (let pass = 0; pass < PASSES; pass++) {
    const order = prepared.map((_, s) => s);
    if (pass % 2) order.reverse();
    for (const s of order) {
      const side = prepared[s];
      const wall = performance.now();
      let cpu = cpuMs();
      for (let v = 0; v < VISITS; v++) {
        for (const [n, entity] of world.scored.entries()) {
          const out = await side.visit(entity, n, emit);
          held += out.metadata.labels ? 1 : 0;
        }
      }
      times[s]['visit, CPU'].push(cpuMs() - cpu);
      times[s]['visit, wall'].push(performance.now() - wall);
      cpu = cpuMs();
      for (let v = 0; v < 4 * VISITS; v++) {
        for (const refs of refsOf)
          held += side.mirror.read(refs)!.version.length;
      }
      times[s]['mirror.read, CPU'].push(cpuMs() - cpu);
      cpu = cpuMs();
      for (let v = 0; v < 4 * VISITS; v++) {
        for (const inputs of keyInputs) held += side.reuse.keyOf(inputs).length;
      }
      times[s]['keyOf, CPU'].push(cpuMs() - cpu);
    }
  }
  const fresh = prepared.map(
    (side, s) => side.evaluations() - evaluationsBefore[s],
  );
  const perVisit = (ms: number, c: (typeof cases)[number]) =>
    (ms * 1000) /
    world.scored.length /
    (c.startsWith('visit') ? 1 : 4) /
    VISITS;
  const ratio = (m: number[]) => (m.length > 1 ? m[1] / m[0] : undefined);
  console.log(
    `| per scored entity, median of ${PASSES} passes (${VISITS} visits each) | ${prepared
      .map(side => side.label)
      .join(' | ')} |${prepared.length > 1 ? ' current / baseline |' : ''}`,
  );
  console.log(
    `| --- |${prepared.map(() => ' --- |').join('')}${
      prepared.length > 1 ? ' --- |' : ''
    }`,
  );
  const medians = new Map(
    cases.map(c => [c, times.map(side => median(side[c]))]),
  );
  for (const [c, m] of medians) {
    const r = ratio(m);
    console.log(
      `| ${c} | ${m
        .map(ms => `${perVisit(ms, c).toFixed(2)} µs`)
        .join(' | ')} |${r === undefined ? '' : ` ×${r.toFixed(3)} |`}`,
    );
  }
  console.log(
    `fresh evaluations during the timed passes: ${prepared
      .map((side, s) => `${side.label} ${fresh[s]}`)
      .join(', ')} (${held} values read)`,
  );
  const visit = medians.get('visit, CPU')!;
  const r = ratio(visit);
  console.log(
    `RESULT reuse path: ${
      world.scored.length
    } entities, ${PASSES} passes; CPU per visit ${visit
      .map(
        (ms, s) =>
          `${prepared[s].label} ${perVisit(ms, 'visit, CPU').toFixed(1)} µs`,
      )
      .join(', ')}${
      r === undefined ? '' : `; current/baseline ×${r.toFixed(3)}`
    }; load ${loadAverage()}`,
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
