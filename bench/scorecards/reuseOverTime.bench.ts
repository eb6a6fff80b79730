/**
 * How often the scorecards processor evaluates again when nothing but time passes, as in
 * production: the catalog revisits every entity every 100–150 s, for hours. The pipeline bench's
 * passes all fall within a few minutes, so its reuse never meets a time limit; this bench moves
 * a simulated clock instead.
 *
 * Sides, in one process on the same synthetic world (`fakeEvidenceStore.ts`, the pipeline bench's
 * world) and the same simulated instants, alternated pass by pass:
 *   - `reuseFor 5 min`: the fixed reuse the module had before 2026-12-05 evening, which was the
 *     only end for the windows the stamp does not show (ledger, traffic, observed edges,
 *     retirement dates); with today's code the engine's own time limits end it earlier too;
 *   - `reuseFor 1 h`: the default since, where a reuse ends at the first instant the engine noted
 *     (`collectTimeLimit`) or after an hour;
 *   - `no reuse` (`reuseFor 0`): every visit evaluates, the reference for the stamps.
 *
 * Each side is the real processor with its mirror (loaded once from the store; the store does
 * not change), waivers, and a catalog snapshot re-indexed every simulated minute with the
 * simulated time as its read time (the module refreshes it every 60 s; nothing in the catalog
 * changes, so no lookup does). A pass visits every scored entity once at one simulated instant;
 * passes are `--every` simulated seconds apart for `--hours` simulated hours. Printed per side:
 * the evaluations (visits that did not reuse), main-thread CPU of the visits, and whether every
 * stamp equals the no-reuse side's at every pass (it must: a reuse is only allowed while the
 * evaluation would come out the same).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/scorecards/reuseOverTime.bench.ts \
 *     [--quick] [--entities <n>] [--hours <h>] [--every <s>]
 */
import { Entity } from '@backstage/catalog-model';
import { CatalogProcessorEmit } from '@backstage/plugin-catalog-node';
import { ScorecardsProcessor } from '@internal/plugin-catalog-backend-module-scorecards/src/processor/ScorecardsProcessor';
import { EvaluationReuse } from '@internal/plugin-catalog-backend-module-scorecards/src/processor/EvaluationReuse';
import { EvidenceMirror } from '@internal/plugin-scorecards-node/src/EvidenceMirror';
import {
  CatalogIndex,
  defaultStandardFile,
  indexCatalog,
  loadStandard,
} from '@internal/plugin-scorecards-common';
import { arg } from '../benchArgs';
import { loadAverage, machineLine, threadCpuMs } from '../machine';
import { median } from '../stats';
import { fakeEvidenceStore } from './fakeEvidenceStore';
import { benchLocation, entityCache, quietLogger } from './processorHarness';
import { NOW } from './syntheticWorld';

const quick = process.argv.includes('--quick');
const ENTITIES = Number(arg('entities') ?? (quick ? 300 : 2000));
const HOURS = Number(arg('hours') ?? (quick ? 0.5 : 2));
const EVERY_S = Number(arg('every') ?? 120);
const SNAPSHOT_EVERY_MS = 60_000;
const LEVEL = 'ops.example.com/maturity-level';

const SIDES = [
  { label: 'reuseFor 5 min', reuseForMs: 5 * 60_000 },
  { label: 'reuseFor 1 h', reuseForMs: 60 * 60_000 },
  { label: 'no reuse', reuseForMs: 0 },
] as const;

async function main() {
  console.log(machineLine());
  const store = fakeEvidenceStore(ENTITIES, 42);
  const { world } = store;
  const standard = loadStandard(defaultStandardFile, { fileName: 'default' });
  let simMs = Date.parse(NOW);
  let snapshot: CatalogIndex = indexCatalog({
    entities: world.entities,
    refreshedAt: new Date(simMs).toISOString(),
  });
  let snapshotAtMs = simMs;

  const sides = await Promise.all(
    SIDES.map(async side => {
      // The mirror's own clock is the real one: it is loaded once and stays current.
      const mirror = new EvidenceMirror({
        evidence: store.evidence,
        config: standard.config,
      });
      await mirror.refresh();
      const reuse = new EvaluationReuse({
        reuseForMs: side.reuseForMs,
        catalogFreshForMs: standard.config.catalogFreshForSeconds * 1000,
      });
      // Evaluations are the visits that did not reuse: each keeps what it computed for reuse
      // (every visit reads the waivers since e511861, so they no longer tell them apart).
      let evaluations = 0;
      const keep = reuse.set.bind(reuse);
      reuse.set = (...args: Parameters<typeof reuse.set>) => {
        evaluations++;
        keep(...args);
      };
      const processor = new ScorecardsProcessor({
        standard,
        evidence: store.evidence,
        catalog: () => snapshot,
        waivers: () => world.waivers,
        logger: quietLogger,
        clock: () => new Date(simMs),
        mirror,
        versions: { waivers: () => 'w1' },
        // Nothing in the catalog changes: every lookup answers the same at every refresh.
        catalogChanges: { generation: () => 1, changedSince: () => false },
        reuse,
        awaitReferences: true,
      });
      // Entities the catalog processed before the first pass (their cache holds our state).
      const caches = world.scored.map(() =>
        entityCache(new Date(simMs).toISOString()),
      );
      const visit = (entity: Entity, n: number, emit: CatalogProcessorEmit) =>
        processor.preProcessEntity(
          entity,
          benchLocation,
          emit,
          benchLocation,
          caches[n],
        );
      return {
        ...side,
        visit,
        evaluations: () => evaluations,
        cpu: [] as number[],
        perPass: [] as number[],
        stamps: [] as string[],
        mismatches: 0,
      };
    }),
  );

  const passes = Math.max(1, Math.floor((HOURS * 3600) / EVERY_S));
  console.log(
    `${world.scored.length} scored entities; ${passes} passes, ${EVERY_S} s apart (${HOURS} h simulated); snapshot re-read every 60 s`,
  );
  for (let pass = 0; pass < passes; pass++) {
    if (simMs - snapshotAtMs >= SNAPSHOT_EVERY_MS) {
      snapshot = indexCatalog({
        entities: world.entities,
        refreshedAt: new Date(simMs).toISOString(),
      });
      snapshotAtMs = simMs;
    }
    const order = sides.map((_, s) => s);
    if (pass % 2) order.reverse();
    for (const s of order) {
      const side = sides[s];
      const before = side.evaluations();
      const stamps: string[] = [];
      const cpu = threadCpuMs();
      for (const [n, entity] of world.scored.entries()) {
        const out = await side.visit(entity, n, () => {});
        stamps.push(out.metadata.labels?.[LEVEL] ?? '-');
      }
      side.cpu.push(threadCpuMs() - cpu);
      side.perPass.push(side.evaluations() - before);
      side.stamps = stamps;
    }
    const reference = sides[sides.length - 1].stamps;
    for (const side of sides) {
      side.mismatches += side.stamps.filter(
        (stamp, n) => stamp !== reference[n],
      ).length;
    }
    simMs += EVERY_S * 1000;
  }

  // The first pass evaluates everything on every side; the steady state is the rest.
  const visits = world.scored.length * (passes - 1);
  console.log(
    `| after the first pass, ${
      passes - 1
    } passes | evaluations (share of visits) | main-thread CPU per pass, median | CPU, sum | stamps unlike no reuse |`,
  );
  console.log('| --- | --- | --- | --- | --- |');
  for (const side of sides) {
    const evaluations = side.perPass.slice(1).reduce((a, b) => a + b, 0);
    const cpu = side.cpu.slice(1);
    console.log(
      `| ${side.label} | ${evaluations} (${(
        (100 * evaluations) /
        visits
      ).toFixed(1)} %) | ${median(cpu).toFixed(0)} ms | ${cpu
        .reduce((a, b) => a + b, 0)
        .toFixed(0)} ms | ${side.mismatches} |`,
    );
  }
  const [fixed, noted, none] = sides.map(side =>
    side.cpu.slice(1).reduce((a, b) => a + b, 0),
  );
  console.log(
    `RESULT reuse over time: ${
      world.scored.length
    } entities, ${passes} passes ${EVERY_S} s apart; CPU of all visits after the first pass: 1 h / 5 min ×${(
      noted / fixed
    ).toFixed(3)}, 5 min / no reuse ×${(fixed / none).toFixed(
      3,
    )}; stamps unlike no reuse: ${sides
      .map(side => side.mismatches)
      .join(' / ')}; load ${loadAverage()}`,
  );
  if (sides.some(side => side.mismatches > 0)) process.exitCode = 1;
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
