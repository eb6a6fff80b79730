/**
 * What the module's evidence mirror costs per processed entity (`EvidenceMirror.read`,
 * scorecards-node), in the two cases of a catalog pass: an evaluation reused from the last one
 * (the steady state: only the answer's `version` is read, for the reuse key) and a fresh one
 * (its `evidence` is read too, which merges the entity's and its owner group's mirrored
 * evidence). The mirror merges on the first read of `evidence`, so the first case skips the
 * merge (until 2026-12-03 every read merged). Both cases read the same refs of the synthetic
 * world (`fakeEvidenceStore.ts`: each scored entity and its owner group), alternated pass by
 * pass, their order swapped every pass; medians per pass.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/scorecards/mirrorRead.bench.ts
 *     [--quick] [--entities <n>] [--passes <n>]
 */
import { ConfigReader } from '@backstage/config';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { EvidenceMirror } from '@internal/plugin-scorecards-node/src/EvidenceMirror';
import { readScorecardsConfig } from '@internal/plugin-scorecards-node/src/readScorecardsConfig';
import { arg } from '../benchArgs';
import { machineLine } from '../machine';
import { median } from '../stats';
import { fakeEvidenceStore } from './fakeEvidenceStore';

const quick = process.argv.includes('--quick');
const ENTITIES = Number(arg('entities') ?? (quick ? 500 : 5000));
const PASSES = Number(arg('passes') ?? (quick ? 4 : 10));

async function main() {
  console.log(machineLine());
  const store = fakeEvidenceStore(ENTITIES, 42);
  const mirror = new EvidenceMirror({
    evidence: store.evidence,
    config: readScorecardsConfig(new ConfigReader({})),
  });
  await mirror.refresh();
  const reads = store.world.scored.map(entity => [
    stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
    String((entity.spec as { owner?: string }).owner ?? ''),
  ]);
  const times = { reused: [] as number[], fresh: [] as number[] };
  let held = 0; // what was read, so that no read is optimized away
  for (let pass = 0; pass < PASSES; pass++) {
    const order: ('reused' | 'fresh')[] =
      pass % 2 ? ['reused', 'fresh'] : ['fresh', 'reused'];
    for (const way of order) {
      const t = performance.now();
      for (const refs of reads) {
        const answer = mirror.read(refs)!;
        held += answer.version.length;
        if (way === 'fresh') held += answer.evidence.facts.length;
      }
      times[way].push(performance.now() - t);
    }
  }
  const [reused, fresh] = [median(times.reused), median(times.fresh)];
  console.log(
    `${reads.length} scored entities, ${PASSES} passes a case (${held} values read)`,
  );
  console.log('| case | ms per pass (median) | per entity |');
  console.log('| --- | --- | --- |');
  for (const [label, ms] of [
    ['reused evaluation: version only', reused],
    ['fresh evaluation: version and evidence', fresh],
  ] as const) {
    console.log(
      `| ${label} | ${ms.toFixed(1)} | ${((ms * 1000) / reads.length).toFixed(
        1,
      )} µs |`,
    );
  }
  console.log(
    `RESULT mirror read, reused / fresh: ${(reused / fresh).toFixed(3)}`,
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
